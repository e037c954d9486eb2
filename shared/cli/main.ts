import { parseArgs } from 'node:util';
import { CliError, describeCliError } from './io';
import type { CliOutput } from './output';
import { processOutput } from './output';
import { approvalsCommand, decideCommand } from './approvals';
import { graphCommand } from './graph';
import { requestCommand } from './request';
import { applyCommand, planCommand } from './plan';
import { schemaCommand, validateCommand } from './validate';
import { doctorCommand } from './doctor';
import { reportCommand } from './report';

const HELP = `peerkeeper — keep cloud network peering as declared (AWS, Azure, Google Cloud)

Usage:
  peerkeeper validate <policy.yaml> [--estate S] [--strict] [--out policy.json] [--json]
                                                           --out: the compiled policy the functions load
  peerkeeper schema [--estate | --markdown]
  peerkeeper plan  --policy P (--estate S | --provider aws|azure|gcp|local|memory) [--scope JSON] [--json] [--now ISO]
  peerkeeper apply --policy P (--estate S --out S2 [--pretty] | --provider aws|azure|gcp|local) [--dry-run] [--json]
  peerkeeper graph --policy P (--estate S | --provider …) [--format mermaid|html] [--out F]   the topology picture
  peerkeeper approvals --policy P [--estate S | --now ISO] [--json]   open approvals (embedded store in --state-dir)
  peerkeeper approve <id> --policy P --as <approver> [--estate S | --now ISO] [--note T]
  peerkeeper reject  <id> --policy P --as <approver> [--estate S | --now ISO] [--note T]
  peerkeeper request --policy P --from <cloud:account:region:id> --to <group|network> --cidrs a,b [--estate S | --provider …]
                                                           register a request peerkeeper cannot see (GCP, Azure cross-tenant)
  peerkeeper doctor --provider aws|azure|gcp|local --policy P [--json]   preflight: access, event routes, secrets, deployed policy, quotas
  peerkeeper report [--store file:DIR,dynamodb:T,azure-table:T,gcs:B] [--since 30d] [--format markdown|html] [--json] [--out F]
                                                           compliance over time from the audit log(s)

Time: --now ISO, else the snapshot's observedAt with --estate, else the clock (one clock per command).
Approvals and the audit log live in --state-dir (default .peerkeeper/, or PEERKEEPER_STATE_DIR).
--provider local talks to the local cloud of \`npm start -- --interactive\` (its URLs are in <state-dir>/local.json).

Exit codes: 0 = ok / no changes, 2 = plan has changes, 1 = error or any partition unread (no conclusion).
`;

const OPTIONS = {
  policy: { type: 'string' }, estate: { type: 'string' }, provider: { type: 'string' }, out: { type: 'string' },
  scope: { type: 'string' }, now: { type: 'string' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' },
  'state-dir': { type: 'string' }, as: { type: 'string' }, note: { type: 'string' }, format: { type: 'string' },
  from: { type: 'string' }, to: { type: 'string' }, cidrs: { type: 'string' },
  store: { type: 'string' }, since: { type: 'string' }, strict: { type: 'boolean' }, pretty: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs one CLI invocation and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliOutput = processOutput()): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === 'help' || command === '--help' || command === '-h') { io.out(HELP); return 0; }
    const schemaFlags = command === 'schema' ? { ...OPTIONS, estate: { type: 'boolean' }, markdown: { type: 'boolean' } } as const : OPTIONS;
    const { values, positionals } = parseArgs({ args: [...rest], options: schemaFlags, allowPositionals: true, strict: true });
    const v = values as Record<string, string | boolean | undefined>;
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    const common = { policy: str('policy') ?? positionals[0] ?? '', ...(str('estate') ? { estate: str('estate') } : {}), ...(str('provider') ? { provider: str('provider') } : {}), ...(str('scope') ? { scope: str('scope') } : {}), ...(str('now') ? { now: str('now') } : {}), ...(str('state-dir') ? { stateDir: str('state-dir') } : {}), json: v.json === true };
    switch (command) {
      case 'validate': return validateCommand({ ...common, ...(str('out') ? { out: str('out') } : {}), strict: v.strict === true }, io);
      case 'schema': return schemaCommand({ estate: v.estate === true, markdown: v.markdown === true }, io);
      case 'plan': return await planCommand(need(common), io);
      case 'apply': return await applyCommand({ ...need(common), ...(str('out') ? { out: str('out') } : {}), dryRun: v['dry-run'] === true, pretty: v.pretty === true }, io);
      case 'graph': return await graphCommand({ ...need(common), ...(str('format') ? { format: str('format') } : {}), ...(str('out') ? { out: str('out') } : {}) }, io);
      case 'approvals': return await approvalsCommand(need(common), io);
      case 'approve': case 'reject': {
        const policy = str('policy') ?? '';
        return await decideCommand({ ...common, policy, id: positionals[0] ?? '', decision: command, ...(str('as') ? { as: str('as') } : {}), ...(str('note') ? { note: str('note') } : {}), ...(str('now') ? { now: str('now') } : {}) }, io);
      }
      case 'request': return await requestCommand({ ...need(common), ...(str('from') ? { from: str('from') } : {}), ...(str('to') ? { to: str('to') } : {}), ...(str('cidrs') ? { cidrs: str('cidrs') } : {}), ...(str('as') ? { as: str('as') } : {}) }, io);
      case 'doctor': return await doctorCommand({ ...need(common), ...(str('provider') ? { provider: str('provider') } : {}) }, io);
      case 'report': return await reportCommand({ ...(str('store') ? { store: str('store') } : {}), ...(str('since') ? { since: str('since') } : {}), ...(str('now') ? { now: str('now') } : {}), ...(str('format') ? { format: str('format') } : {}), ...(str('out') ? { out: str('out') } : {}), ...(str('state-dir') ? { stateDir: str('state-dir') } : {}), json: v.json === true }, io);
      default: io.err(`unknown command "${command}"\n\n${HELP}`); return 1;
    }
  } catch (error) {
    const { message, exitCode } = describeCliError(error);
    io.err(`Error: ${message}\n`);
    return exitCode;
  }
}

function need<T extends { policy: string }>(args: T): T {
  if (!args.policy) throw new CliError('--policy <file> is required (see `peerkeeper help`)');
  return args;
}
