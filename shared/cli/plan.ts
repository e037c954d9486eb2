import type { Plan, Scope } from '../model';
import { unreadPartitions } from '../model/plan-completeness';
import { ScopeSchema } from '../model';
import { countChanges, renderPlan } from '../planner';
import type { ReconcileResult } from '../reconcile';
import { reconcileScope } from '../reconcile';
import { renderApplyResults } from './apply-report';
import { CliError, writeEstate } from './io';
import type { CliOutput } from './output';
import type { ProviderSelection } from './providers';
import { openProviders } from './providers';
import { stateDir } from './approvals';
import { cliDeclared } from './request';

/** Options shared by `plan` and `apply`. */
export interface PlanArgs {
  policy: string;
  estate?: string;
  provider?: string;
  scope?: string;
  json?: boolean;
  now?: string;
  stateDir?: string;
}

function parseScope(text: string | undefined): Scope {
  if (!text) return { kind: 'estate' };
  try {
    return ScopeSchema.parse(JSON.parse(text));
  } catch {
    throw new CliError(`--scope must be JSON such as '{"kind":"account","cloud":"aws","account":"111111111111"}'`);
  }
}

async function run(
  args: PlanArgs,
  mode: 'observe' | 'enforce',
  io: CliOutput,
): Promise<{ result: ReconcileResult; selection: ProviderSelection }> {
  const selection = await openProviders({ ...args, readOnly: mode === 'observe' }, io);
  const now = selection.now;
  const result = await reconcileScope(parseScope(args.scope), {
    policy: selection.policy,
    providers: selection.providers,
    mode,
    now: () => now,
    ...(selection.audit && mode === 'enforce' ? { audit: selection.audit } : {}),
    ...(selection.approvals ? { approvals: selection.approvals } : {}),
    declaredRequests: cliDeclared(stateDir(args.stateDir)).peerings(() => now),
  });
  return { result, selection };
}

/**
 * Names each partition the plan could not read, and why; true when there was one. Text output gets it on
 * stdout after the plan; `--json` keeps stdout one JSON document (it carries `complete` and `partitions`), so the
 * list goes to stderr.
 */
function reportUnread(plan: Plan, json: boolean | undefined, io: CliOutput): boolean {
  if (plan.complete) return false;
  const unread = unreadPartitions(plan);
  const lines = [
    `Unread partitions (${unread.length}); nothing that depends on them was decided:`,
    ...unread.map((u) => `  ${u.name}: ${u.reasons.join('; ') || 'no reason given'}`),
  ];
  (json ? io.err : io.out)(`${lines.join('\n')}\n`);
  return true;
}

/**
 * `peerkeeper plan`: exit 0 = no changes, 2 = changes, 1 = error or an incomplete observation (like
 * `terraform plan -detailed-exitcode`). A partial read never exits 0 or 2: a gate must not pass during an outage.
 */
export async function planCommand(args: PlanArgs, io: CliOutput): Promise<number> {
  const { result, selection } = await run(args, 'observe', io);
  await selection.close();
  io.out(args.json ? JSON.stringify(result.plan, null, 2) + '\n' : renderPlan(result.plan, { color: io.color }));
  if (reportUnread(result.plan, args.json, io)) return 1;
  return countChanges(result.plan).changes > 0 ? 2 : 0;
}

/**
 * `peerkeeper apply`: executes the plan; with a snapshot, writes the converged estate to `--out`. Exit 1 when an
 * action failed or the observation was incomplete (what it could decide was still applied).
 */
export async function applyCommand(
  args: PlanArgs & { out?: string; dryRun?: boolean; pretty?: boolean },
  io: CliOutput,
): Promise<number> {
  if (args.estate && !args.out && !args.dryRun)
    throw new CliError('apply --estate needs --out <file> for the converged estate (or --dry-run)');
  const { result, selection } = await run(args, args.dryRun ? 'observe' : 'enforce', io);
  // Compact and streamed by default (pretty-printed was the old default: 8 MiB per 1k networks); --pretty on request.
  if (args.out && selection.snapshot) writeEstate(args.out, selection.snapshot(), { pretty: args.pretty === true });
  await selection.close();
  const failed = result.results.filter((r) => r.status === 'failed');
  if (args.json) {
    io.out(
      JSON.stringify(
        {
          ...result.plan,
          planHash: result.planHash,
          writes: result.writes,
          results: result.results.map((r) => ({
            action: r.action.action,
            cloud: r.action.cloud,
            target: r.action.target,
            status: r.status,
            ...(r.peeringId ? { peeringId: r.peeringId } : {}),
            ...(r.detail ? { detail: r.detail } : {}),
            ...(r.error ? { error: r.error } : {}),
          })),
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    io.out(renderPlan(result.plan, { color: io.color }));
    io.out('\n');
    io.out(renderApplyResults(result.results, args.out ? { out: args.out } : {}));
  }
  const incomplete = reportUnread(result.plan, args.json, io);
  return failed.length > 0 || incomplete ? 1 : 0;
}
