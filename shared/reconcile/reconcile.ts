import { createHash } from 'node:crypto';
import type { Cloud, Observation, Peering, Plan, Problem, Scope, Trigger, UnreadPartition } from '../model';
import { actionSubject, describeScope, isMutating, mergeObservations } from '../model';
import { linksRestoredFromNearSide, planHash, planScope } from '../planner';
import { attachApprovalKeys } from '../planner/transit';
import type { ApprovalState } from '../planner';
import type { Policy } from '../policy/schema';
import type { Partition, PeeringProvider } from '../providers/port';
import type { AuditEntry, AuditLog } from '../stores/ports';
import type { ApprovalGateway } from '../approvals/gateway';
import type { ActionResult, ExecuteDeps } from './execute';
import { countWrites, executePlan } from './execute';
import { withDeclaredRequests } from './declared';
import { farSidePartitions } from './far-sides';
import {
  accountKey,
  partitionKey,
  partitionStatuses,
  rememberUnread,
  withRememberedUnread,
  withoutClouds,
} from './read-state';
import { governedAccounts, involvedPartitions, partitionsFor } from './partitions';
import { actionAuditFields, isAuditedFinding, observationAuditEntries } from '../report/audit-records';

/** Everything reconcileScope needs; the handlers, the sweep, the CLI and approvals all build one. */
export interface ReconcileDeps {
  policy: Policy;
  providers: Partial<Record<Cloud, PeeringProvider>>;
  now?: () => Date;
  /** Epoch ms the work must finish by (the function's timeout). Default: 10 minutes from now. */
  deadline?: number;
  /** Overrides the policy's mode: `observe` is the dry run. */
  mode?: 'observe' | 'enforce';
  /** Where approvals stand, by peering id (decided, pending or expired). */
  decisions?: ReadonlyMap<string, ApprovalState>;
  audit?: AuditLog;
  /** Who peerkeeper is, for the audit log. */
  actor?: string;
  requestApproval?: ExecuteDeps['requestApproval'];
  /** Approvals: decisions are read before planning, `request-approval` actions open them. */
  approvals?: ApprovalGateway;
  /** Requests peerkeeper cannot see (declared by people), merged into the observation as `requested` peerings. */
  declaredRequests?: () => Promise<Peering[]>;
  sleep?: ExecuteDeps['sleep'];
  random?: ExecuteDeps['random'];
}

/** What one reconcile saw, planned and did. */
export interface ReconcileResult {
  scope: Scope;
  observation: Observation;
  plan: Plan;
  planHash: string;
  results: ActionResult[];
  /** Changes made to a cloud (0 for a converged scope or in observe mode). */
  writes: number;
}

function auditEntry(
  result: ActionResult,
  at: string,
  actor: string,
  hash: string,
  trigger: Trigger | undefined,
  observedAt: Date,
): AuditEntry {
  const id = createHash('sha256')
    .update(`${hash}|${actionSubject(result.action)}|${result.action.action}|${at}`)
    .digest('hex')
    .slice(0, 24);
  return {
    id,
    at,
    actor,
    action: result.action.action,
    subject: actionSubject(result.action),
    reason: result.action.reason,
    planHash: hash,
    outcome: result.status,
    ...(trigger ? { eventId: trigger.eventId } : {}),
    ...actionAuditFields(result.action, trigger, observedAt),
  };
}

/**
 * What a reconcile may observe: only governed accounts — the policy's lists plus what providers discover
 * (management groups, folders). An event naming any other account observes nothing there, so nothing from an
 * unlisted account is ever treated as ours (and never accepted). The sweep also covers discovered partitions.
 */
async function governedPartitions(
  scope: Scope,
  policy: Policy,
  clouds: readonly Cloud[],
  providers: ReconcileDeps['providers'],
): Promise<{ partitions: Partition[]; governed: Set<string>; undiscovered: UnreadPartition[] }> {
  const discovered: Partition[] = [];
  // A failed discovery is a gap over the whole cloud, never an empty organization (DESIGN §11, §12).
  const undiscovered: UnreadPartition[] = [];
  for (const cloud of clouds) {
    const provider = providers[cloud];
    if (!provider?.partitions) continue;
    discovered.push(
      ...(await provider.partitions(scope).catch((error: unknown) => {
        undiscovered.push({
          cloud,
          account: '*',
          reason: `discovering governed accounts failed: ${error instanceof Error ? error.message : String(error)}`,
        });
        return [];
      })),
    );
  }
  const governed = new Set([
    ...clouds.flatMap((c) => governedAccounts(policy, c).map((a) => accountKey(c, a))),
    ...discovered.map((p) => accountKey(p.cloud, p.account)),
  ]);
  const planned = partitionsFor(scope, policy, clouds).filter((p) => governed.has(accountKey(p.cloud, p.account)));
  if (scope.kind !== 'estate') return { partitions: planned, governed, undiscovered };
  const seen = new Map(planned.map((p) => [partitionKey(p), p]));
  for (const p of discovered) {
    const covered =
      seen.has(partitionKey(p)) ||
      planned.some(
        (q) => q.cloud === p.cloud && accountKey(q.cloud, q.account) === accountKey(p.cloud, p.account) && !p.region,
      );
    if (!covered) seen.set(partitionKey(p), p);
  }
  return { partitions: [...seen.values()], governed, undiscovered };
}

/** A cloud's governed accounts (listed and discovered) from the reconcile's `cloud:account` keys. */
function governedOf(governed: ReadonlySet<string>, cloud: Cloud): string[] {
  const prefix = `${cloud}:`;
  return [...governed].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
}

/** An event about an account the policy does not govern is reported, never acted on (never accepted from). */
function ungovernedProblems(scope: Scope, partitions: readonly Partition[]): Problem[] {
  if (scope.kind === 'estate') return [];
  const target = scope.kind === 'network' ? scope.network : scope;
  if (
    partitions.some(
      (p) => p.cloud === target.cloud && accountKey(p.cloud, p.account) === accountKey(target.cloud, target.account),
    )
  )
    return [];
  return [
    {
      severity: 'warning',
      code: 'ungoverned',
      message: `${target.cloud} account ${target.account} is not governed by the policy (not listed, not discovered): its networks are not observed and nothing from it is accepted`,
    },
  ];
}

/**
 * The one path every trigger uses: observe the scope (read-only) → plan (pure) → execute → record.
 * Level-triggered: the trigger only names the scope; a converged scope makes zero writes.
 */
export async function reconcileScope(scope: Scope, deps: ReconcileDeps, trigger?: Trigger): Promise<ReconcileResult> {
  const now = deps.now ?? (() => new Date());
  const clouds = (Object.keys(deps.providers) as Cloud[]).filter((c) => deps.providers[c] !== undefined);
  const {
    partitions: own,
    governed,
    undiscovered,
  } = await governedPartitions(scope, deps.policy, clouds, deps.providers);
  const toObserve = scope.kind === 'estate' ? own : withRememberedUnread(own, deps.providers, governed);
  const observeAll = async (partitions: readonly Partition[]) =>
    mergeObservations(
      (
        await Promise.all(
          clouds.map((cloud) => {
            const mine = partitions.filter((p) => p.cloud === cloud);
            return mine.length === 0 ? undefined : deps.providers[cloud]!.observe(mine);
          }),
        )
      ).filter((p): p is Observation => p !== undefined),
    );
  // When the plan's observation began: the adapters may trust it for a write that follows within a moment.
  const observedAt = now().getTime();
  const first = await observeAll(toObserve);
  // Second round, decided from the policy and what the first read found (DESIGN §12): the hubs, pair sides and mesh
  // members the scope's networks involve, and the far sides of its links — never every account a group names.
  const involved = involvedPartitions(scope, deps.policy, first, (cloud) => governedOf(governed, cloud));
  const nearSide = scope.kind === 'route-table' ? linksRestoredFromNearSide(deps.policy, first) : new Set<string>();
  const farSides = farSidePartitions(
    scope,
    first,
    [...toObserve, ...involved],
    (cloud, account) => governed.has(accountKey(cloud, account)),
    nearSide,
  );
  const far = [...involved, ...farSides];
  // Azure and GCP peerings are two halves, joined into one link only within one read: a second round that reaches
  // a far side of those clouds re-reads the scope's own partitions of that cloud with it.
  const halves = new Set<Cloud>(far.map((p) => p.cloud).filter((c) => c !== 'aws'));
  const observed =
    far.length === 0
      ? first
      : mergeObservations([
          withoutClouds(first, halves),
          await observeAll([...toObserve.filter((p) => halves.has(p.cloud)), ...far]),
        ]);
  const merged =
    undiscovered.length === 0
      ? observed
      : {
          ...observed,
          complete: false,
          gaps: [...observed.gaps, ...undiscovered.map((u) => `${u.cloud}: ${u.reason}`)],
          unread: [...(observed.unread ?? []), ...undiscovered],
        };
  const partitions = [...toObserve, ...far];
  rememberUnread(deps.providers, partitions, observed);
  const observation = deps.declaredRequests ? withDeclaredRequests(merged, await deps.declaredRequests()) : merged;
  const decisions = new Map(deps.decisions ?? []);
  if (deps.approvals)
    for (const [id, state] of await deps.approvals.states([
      ...observation.peerings,
      ...attachApprovalKeys(deps.policy, observation),
    ]))
      if (!decisions.has(id)) decisions.set(id, state);
  const planned = planScope({ policy: deps.policy, observation, scope, now: now(), decisions });
  const plan = {
    ...planned,
    partitions: partitionStatuses(partitions, planned.partitions),
    problems: [...planned.problems, ...ungovernedProblems(scope, partitions)],
  };
  const hash = planHash(plan);
  const gateway = deps.approvals;
  const requestApproval: ExecuteDeps['requestApproval'] =
    deps.requestApproval ??
    (gateway
      ? (action, peeringId) =>
          gateway.request(action, peeringId, {
            observation,
            planHash: hash,
            now: now(),
            ...(trigger ? { eventId: trigger.eventId } : {}),
          })
      : undefined);
  const results = await executePlan(plan, {
    providers: deps.providers,
    now,
    mode: deps.mode ?? deps.policy.mode,
    deadline: deps.deadline ?? now().getTime() + 600_000,
    observedAt,
    ...(requestApproval ? { requestApproval } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });
  if (deps.audit) {
    const at = now().toISOString();
    const actor = deps.actor ?? 'peerkeeper';
    const worth = results.filter(
      (r) =>
        (isMutating(r.action) || r.action.action === 'request-approval' || isAuditedFinding(r.action)) &&
        r.status !== 'observed',
    );
    for (const r of worth) await deps.audit.append(auditEntry(r, at, actor, hash, trigger, new Date(observedAt)));
    for (const e of observationAuditEntries({
      policy: deps.policy,
      observation,
      plan,
      scope,
      at: now(),
      actor,
      planHash: hash,
      results,
    }))
      await deps.audit.append(e);
  }
  return { scope, observation, plan, planHash: hash, results, writes: countWrites(results) };
}

/** One line for logs: `reconciled aws:111:us-east-1 — 3 actions, 2 writes, complete`. */
export function summarizeReconcile(r: ReconcileResult): string {
  const failed = r.results.filter((x) => x.status === 'failed').length;
  const deferred = r.results.filter((x) => x.status === 'deferred').length;
  return `reconciled ${describeScope(r.scope)}: ${r.plan.actions.length} actions, ${r.writes} writes${failed ? `, ${failed} failed` : ''}${deferred ? `, ${deferred} deferred` : ''}, ${r.plan.complete ? 'complete' : 'INCOMPLETE observation'}`;
}
