import { join } from 'node:path';
import { ApprovalService, ConsoleNotifier, approvalGateway, isPastExpiry, plainText } from '../approvals';
import type { ApprovalGateway } from '../approvals';
import type { ClockArgs } from './clock';
import { commandNow } from './clock';
import type { Policy } from '../policy';
import { FileApprovalStore, FileAuditLog } from '../stores/file';
import type { AuditLog } from '../stores/ports';
import { CliError, readPolicy } from './io';
import type { CliOutput } from './output';

/** Where the CLI keeps approvals and the audit log: `--state-dir`, else `.peerkeeper/` in the working directory. */
export function stateDir(dir: string | undefined): string {
  return dir ?? process.env.PEERKEEPER_STATE_DIR ?? '.peerkeeper';
}

/** The complete command that decides an approval, with the flags of the run that asked for it. */
export function decideHintFor(args: { policy: string; estate?: string; stateDir?: string }): (id: string) => string {
  return (id) =>
    `peerkeeper approve ${id} --policy ${args.policy} --as <approver id>${args.estate ? ` --estate ${args.estate}` : ''}${args.stateDir ? ` --state-dir ${args.stateDir}` : ''}`;
}

/** The embedded (file) approval service for teams without chat: requests print the complete command that decides them. */
export function cliApprovals(
  policy: Policy,
  dir: string,
  io: Pick<CliOutput, 'err'>,
  decideHint?: (id: string) => string,
): { service: ApprovalService; gateway: ApprovalGateway; audit: AuditLog } {
  const audit = new FileAuditLog(join(dir, 'audit'));
  const service = new ApprovalService({
    store: new FileApprovalStore(join(dir, 'approvals')),
    audit,
    notifier: new ConsoleNotifier((line) => io.err(`${line}\n`), decideHint),
    approvers: policy.approvals.approvers,
  });
  return { service, gateway: approvalGateway(service), audit };
}

/**
 * `peerkeeper approvals --policy P [--estate S | --now ISO] [--json]`: the approvals still open at the command's
 * time (see `commandNow`), oldest first. One past its expiry is not listed as open — `approve` would refuse it —
 * but counted, so it does not vanish silently before the next apply closes it.
 */
export async function approvalsCommand(
  args: ClockArgs & { policy: string; stateDir?: string; json?: boolean },
  io: CliOutput,
): Promise<number> {
  const { policy } = readPolicy(args.policy);
  const now = commandNow(args);
  const pending = await cliApprovals(policy, stateDir(args.stateDir), io).service.pending();
  const open = pending.filter((r) => !isPastExpiry(r, now));
  const expired = pending.length - open.length;
  if (args.json) {
    io.out(JSON.stringify(open, null, 2) + '\n');
    return 0;
  }
  if (open.length === 0) io.out(`No pending approvals at ${now.toISOString()}.\n`);
  for (const r of open)
    io.out(
      `${r.id}  ${r.cloud} ${r.peeringId}  ${r.requester.account} → ${r.accepter.account}  expires ${r.expiresAt}\n    ${r.reason}\n`,
    );
  if (expired > 0)
    io.out(`${expired} more expired by ${now.toISOString()} without a decision (the next apply closes them).\n`);
  return 0;
}

/** `peerkeeper approve|reject <id> --policy P --as <approver> [--estate S | --now ISO]`: the CLI path for a human decision (same checks as chat), at the command's one clock. */
export async function decideCommand(
  args: ClockArgs & {
    policy: string;
    id: string;
    decision: 'approve' | 'reject';
    as?: string;
    note?: string;
    stateDir?: string;
  },
  io: CliOutput,
): Promise<number> {
  if (!args.id) throw new CliError(`${args.decision} needs the approval id (see \`peerkeeper approvals\`)`);
  const as = args.as ?? process.env.PEERKEEPER_APPROVER;
  if (!as) throw new CliError('say who decides: --as <approver id> (one of approvals.approvers)');
  const { policy } = readPolicy(args.policy);
  const { service } = cliApprovals(policy, stateDir(args.stateDir), io);
  const outcome = await service.handleDecision({
    approvalId: args.id,
    decision: args.decision,
    user: { id: as },
    now: commandNow(args),
    via: 'cli',
    ...(args.note ? { note: args.note } : {}),
  });
  if (!outcome.ok) {
    io.err(`${plainText(outcome.text)}\n`);
    return 1;
  }
  const record = outcome.record;
  const source = args.estate
    ? `--estate ${args.estate} --out ${args.estate.replace(/\.json$/, '')}-decided.json`
    : `--provider ${record?.cloud ?? '<aws|azure|gcp|local>'}`;
  io.out(
    `${args.decision === 'approve' ? 'Approved' : 'Rejected'} ${args.id}${record ? ` (${record.cloud} ${record.peeringId})` : ''}. Nothing changes in the cloud until the next apply, which re-checks every safety rule first:\n` +
      `  peerkeeper apply --policy ${args.policy} ${source}${args.stateDir ? ` --state-dir ${args.stateDir}` : ''}\n`,
  );
  return 0;
}
