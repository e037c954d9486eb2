import { join } from 'node:path';
import { ApprovalService, ConsoleNotifier, approvalGateway } from '../approvals';
import type { ApprovalGateway } from '../approvals';
import type { Policy } from '../policy';
import { FileApprovalStore, FileAuditLog } from '../stores/file';
import type { AuditLog } from '../stores/ports';
import { CliError, readPolicy } from './io';
import type { CliOutput } from './output';

/** Where the CLI keeps approvals and the audit log: `--state-dir`, else `.peerkeeper/` in the working directory. */
export function stateDir(dir: string | undefined): string {
  return dir ?? process.env.PEERKEEPER_STATE_DIR ?? '.peerkeeper';
}

/** The embedded (file) approval service for teams without chat: requests print how to decide them. */
export function cliApprovals(policy: Policy, dir: string, io: Pick<CliOutput, 'err'>): { service: ApprovalService; gateway: ApprovalGateway; audit: AuditLog } {
  const audit = new FileAuditLog(join(dir, 'audit'));
  const service = new ApprovalService({
    store: new FileApprovalStore(join(dir, 'approvals')), audit,
    notifier: new ConsoleNotifier((line) => io.err(`${line}\n`)),
    approvers: policy.approvals.approvers,
  });
  return { service, gateway: approvalGateway(service), audit };
}

/** `peerkeeper approvals --policy P [--json]`: the pending approvals, oldest first. */
export async function approvalsCommand(args: { policy: string; stateDir?: string; json?: boolean }, io: CliOutput): Promise<number> {
  const { policy } = readPolicy(args.policy);
  const pending = await cliApprovals(policy, stateDir(args.stateDir), io).service.pending();
  if (args.json) { io.out(JSON.stringify(pending, null, 2) + '\n'); return 0; }
  if (pending.length === 0) { io.out('No pending approvals.\n'); return 0; }
  for (const r of pending) io.out(`${r.id}  ${r.cloud} ${r.peeringId}  ${r.requester.account} → ${r.accepter.account}  expires ${r.expiresAt}\n    ${r.reason}\n`);
  return 0;
}

/** `peerkeeper approve|reject <id> --policy P --as <approver>`: the CLI path for a human decision (same checks as chat). */
export async function decideCommand(args: { policy: string; id: string; decision: 'approve' | 'reject'; as?: string; note?: string; stateDir?: string; now?: string }, io: CliOutput): Promise<number> {
  if (!args.id) throw new CliError(`${args.decision} needs the approval id (see \`peerkeeper approvals\`)`);
  const as = args.as ?? process.env.PEERKEEPER_APPROVER;
  if (!as) throw new CliError('say who decides: --as <approver id> (one of approvals.approvers)');
  const { policy } = readPolicy(args.policy);
  const { service } = cliApprovals(policy, stateDir(args.stateDir), io);
  const outcome = await service.handleDecision({ approvalId: args.id, decision: args.decision, user: { id: as }, now: args.now ? new Date(args.now) : new Date(), via: 'cli', ...(args.note ? { note: args.note } : {}) });
  io.out(`${outcome.text}\n`);
  if (outcome.ok) io.out('Run `peerkeeper apply` to act on the decision (the accept still passes every safety check).\n');
  return outcome.ok ? 0 : 1;
}
