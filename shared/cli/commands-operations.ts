import { Option } from 'commander';
import type { CliOutput } from './output';
import { OPTIONS, pick, required, text, type DefineCommand } from './options';

/** approvals, approve, reject, request, doctor, report: the commands around decisions and operations. */
export function defineOperationsCommands(command: DefineCommand, io: CliOutput): void {
  command(
    'approvals',
    'list the open approvals (the embedded store in --state-dir), oldest first',
    async (f) => {
      const { approvalsCommand } = await import('./approvals');
      return approvalsCommand(
        { policy: text(f, 'policy') ?? '', ...pick(f, 'estate', 'now', 'stateDir'), json: f.json === true },
        io,
      );
    },
    ['peerkeeper approvals --policy examples/policy.yaml', 'peerkeeper approvals --policy policy.yaml --json'],
  )
    .addOption(OPTIONS.policy())
    .addOption(new Option('--estate <file>', 'take the time from this snapshot (its observedAt)'))
    .addOption(OPTIONS.json())
    .addOption(OPTIONS.now())
    .addOption(OPTIONS.stateDir());

  for (const decision of ['approve', 'reject'] as const) {
    command(
      `${decision} <id>`,
      `${decision} an open approval as an approver (the same checks as chat)`,
      async (f, [id]) => {
        const { decideCommand } = await import('./approvals');
        return decideCommand(
          {
            policy: text(f, 'policy') ?? '',
            id: id ?? '',
            decision,
            ...pick(f, 'as', 'note', 'estate', 'now', 'stateDir'),
          },
          io,
        );
      },
      [
        `peerkeeper ${decision} apr-0123abcd --policy policy.yaml --as U012AB3CD${decision === 'reject' ? ' --note "overlaps the lab range"' : ''}`,
        `peerkeeper ${decision} apr-0123abcd --policy examples/policy.yaml --estate examples/estate.json --as U012AB3CD`,
      ],
    )
      .addOption(OPTIONS.policy())
      .addOption(new Option('--as <approver>', 'who decides: one of approvals.approvers (or PEERKEEPER_APPROVER)'))
      .addOption(new Option('--note <text>', 'a note kept with the decision in the audit log'))
      .addOption(new Option('--estate <file>', 'take the time from this snapshot (its observedAt)'))
      .addOption(OPTIONS.now())
      .addOption(OPTIONS.stateDir());
  }

  command(
    'request',
    'register a peering request peerkeeper cannot see (GCP, Azure cross-tenant); the next plan judges it',
    async (f) => {
      const { requestCommand } = await import('./request');
      return requestCommand(
        {
          policy: text(f, 'policy') ?? '',
          ...pick(f, 'from', 'to', 'cidrs', 'as', 'estate', 'provider', 'now', 'stateDir'),
        },
        io,
      );
    },
    [
      'peerkeeper request --policy policy.yaml --from gcp:partner-prj:global:partner-net --to gcp-hub --cidrs 10.99.0.0/16 --provider gcp',
      'peerkeeper request --policy policy.yaml --from azure:<subscription>:westeurope:<vnet id> --to aws:111111111111:us-east-1:vpc-0a1b… --cidrs 10.98.0.0/16',
    ],
  )
    .addOption(OPTIONS.policy())
    .addOption(required(new Option('--from <network>', 'the requesting network, cloud:account:region:id (required)')))
    .addOption(
      required(new Option('--to <group|network>', 'a group of the policy, or cloud:account:region:id (required)')),
    )
    .addOption(required(new Option('--cidrs <a,b>', "the requester's ranges, comma-separated (required)")))
    .addOption(new Option('--as <requester>', 'who asks (they may not approve it themselves)'))
    .addOption(OPTIONS.estate())
    .addOption(OPTIONS.provider(['aws', 'azure', 'gcp', 'local', 'memory']))
    .addOption(OPTIONS.now())
    .addOption(OPTIONS.stateDir());

  command(
    'doctor',
    'preflight a deployment: access, event routes, secrets, deployed policy, quotas (exit 1 on a problem)',
    async (f) => {
      const { doctorCommand } = await import('./doctor');
      return doctorCommand(
        { policy: text(f, 'policy') ?? '', ...pick(f, 'provider', 'stateDir'), json: f.json === true },
        io,
      );
    },
    [
      'peerkeeper doctor --provider aws --policy policy.yaml',
      'peerkeeper doctor --provider local --policy infra/local/policy.yaml --json',
    ],
  )
    .addOption(OPTIONS.policy())
    .addOption(required(OPTIONS.provider(['aws', 'azure', 'gcp', 'local'])))
    .addOption(OPTIONS.json())
    .addOption(OPTIONS.stateDir());

  command(
    'report',
    'compliance over time from the audit log(s)',
    async (f) => {
      const { reportCommand } = await import('./report');
      return reportCommand(
        { ...pick(f, 'store', 'since', 'now', 'format', 'out', 'stateDir'), json: f.json === true },
        io,
      );
    },
    [
      'peerkeeper report --since 30d',
      'peerkeeper report --store dynamodb:peerkeeper-prod-audit,gcs:peerkeeper-audit --format html --out report.html',
    ],
  )
    .addOption(
      new Option(
        '--store <stores>',
        'audit stores, comma-separated: file:DIR, dynamodb:TABLE, azure-table:TABLE, gcs:BUCKET (default: the embedded log)',
      ),
    )
    .addOption(new Option('--since <when>', "the window's start: 30d, 12h, 2w or an ISO date (default 30d)"))
    .addOption(new Option('--format <format>', 'markdown (default) or html'))
    .addOption(new Option('--out <file>', 'write the report here instead of stdout'))
    .addOption(OPTIONS.json())
    .addOption(OPTIONS.now())
    .addOption(OPTIONS.stateDir());
}
