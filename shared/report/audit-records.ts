import { createHash } from 'node:crypto';
import type { Action, Cloud, NetworkRef, Observation, Plan, Scope, Trigger } from '../model';
import { actionSubject } from '../model';
import { governedAccounts } from '../policy/governed';
import { desirePeerings, indexEstate, pairKey } from '../planner';
import type { Policy } from '../policy/schema';
import type { AuditEntry } from '../stores/ports';

/**
 * The audit fields `peerkeeper report` needs, derived from what a reconcile already knows. Pure: the
 * reconcile passes its clock's readings in. Kept apart from the reconcile so that the report's needs do
 * not grow the one path every trigger uses.
 */

/** A partition a reconcile could not read, with every reason (the plan's per-partition status). */
export interface UnreadablePartition {
  cloud: Cloud;
  account: string;
  region?: string | undefined;
  reasons: readonly string[];
}

/** Drift kinds: what a planned action says about the live state it changes. */
export function driftKind(action: Action): string | undefined {
  switch (action.action) {
    // A planned replace always means the route exists and points elsewhere (see outcome-events.ts).
    case 'replace-route':
      return 'route-drift';
    case 'delete-route':
      return 'route-drift';
    case 'update-peering':
      return 'peering-drift';
    case 'create-peering':
      return action.replaces ? 'peering-drift' : undefined;
    case 'report':
      return reportKind(action.reason);
    default:
      return undefined;
  }
}

/**
 * Findings the report counts, classified by the planner's wording (shared/planner/peerings.ts and
 * routes.ts). Reports carry no code yet; a reworded reason falls back to "not counted", never to a wrong kind.
 */
function reportKind(reason: string): string | undefined {
  if (reason.startsWith('unmanaged peering ')) return 'unmanaged-peering';
  if (reason.startsWith('route drift: ')) return 'route-drift';
  if (/: managed peering \S+ is \w+; drift\.peerings is report$/.test(reason)) return 'peering-drift';
  return undefined;
}

/**
 * Extra fields of an action's audit entry: cloud, connection, drift kind, and when the drift was first
 * seen — the triggering event's time when it has one (the moment the cloud changed), else when this
 * reconcile began observing (a sweep learns of drift no earlier than that).
 */
export function actionAuditFields(action: Action, trigger: Trigger | undefined, observedAt: Date): Partial<AuditEntry> {
  const kind = driftKind(action);
  const eventAt = trigger?.at !== undefined && !Number.isNaN(Date.parse(trigger.at)) ? new Date(trigger.at) : undefined;
  const seen = eventAt !== undefined && eventAt.getTime() <= observedAt.getTime() ? eventAt : observedAt;
  return {
    cloud: action.cloud,
    ...(action.connection ? { connection: action.connection } : {}),
    ...(kind ? { kind, detectedAt: seen.toISOString() } : {}),
  };
}

/** True for report actions worth an audit entry: the findings `peerkeeper report` counts (not every info line of every sweep). */
export function isAuditedFinding(action: Action): boolean {
  return action.action === 'report' && reportKind(action.reason) !== undefined;
}

const entryId = (...parts: string[]) => createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 24);

/**
 * The partitions a reconcile could not read: the plan's incomplete partitions, else the observation's `unread`
 * list grouped by partition (a plan made before the planner listed partitions).
 */
export function unreadPartitions(observation: Observation, plan: Plan): UnreadablePartition[] {
  const fromPlan = (plan.partitions ?? []).filter((p) => !p.complete);
  if (fromPlan.length > 0)
    return fromPlan.map((p) => ({ cloud: p.cloud, account: p.account, region: p.region, reasons: p.reasons }));
  const grouped = new Map<string, UnreadablePartition & { reasons: string[] }>();
  for (const u of observation.unread ?? []) {
    const key = `${u.cloud}:${u.account}:${u.region ?? ''}`;
    const entry =
      grouped.get(key) ??
      grouped.set(key, { cloud: u.cloud, account: u.account, region: u.region, reasons: [] }).get(key)!;
    entry.reasons.push(u.reason);
  }
  return [...grouped.values()];
}

const sameAccount = (cloud: Cloud, a: string, b: string) =>
  cloud === 'azure' ? a.toLowerCase() === b.toLowerCase() : a === b;

/**
 * What a scope's conformance tally covers: the estate (every link), or one account (and region) — the unit every
 * cloud's sweep reconciles — where it counts the links that account owns. Narrower scopes (a network, a route
 * table, a peering) do not see all of an account's links and record no tally.
 */
function tallyOf(scope: Scope): { subject: string; owns: (ref: NetworkRef) => boolean } | undefined {
  if (scope.kind === 'estate') return { subject: 'estate', owns: () => true };
  if (scope.kind !== 'account') return undefined;
  const region = scope.region && scope.region !== '*' ? scope.region : undefined;
  return {
    subject: `${scope.cloud}:${scope.account}${region ? `:${region}` : ''}`,
    owns: (ref) =>
      ref.cloud === scope.cloud &&
      sameAccount(ref.cloud, ref.account, scope.account) &&
      (region === undefined || ref.region === region),
  };
}

/**
 * Entries one reconcile adds beyond its actions: one per held action (waiting for a partition it could not
 * read), one per unreadable partition (alarms and the report count consecutive sweeps), and, for the estate
 * or one account, a `conformance` tally (see tallyOf).
 */
export function observationAuditEntries(input: {
  policy: Policy;
  observation: Observation;
  plan: Plan;
  scope: Scope;
  at: Date;
  actor: string;
  planHash: string;
  /** What the executor did with each action: a link this run created or accepted counts as converged. */
  results?: readonly { action: Action; status: string }[];
}): AuditEntry[] {
  const at = input.at.toISOString();
  const out: AuditEntry[] = [];
  for (const h of input.plan.held ?? []) {
    // plans built before the planner held actions have none
    out.push({
      id: entryId(input.planHash, actionSubject(h.action), h.action.action, 'held', at),
      at,
      actor: input.actor,
      action: h.action.action,
      subject: actionSubject(h.action),
      reason: h.reason,
      outcome: 'held',
      planHash: input.planHash,
      ...actionAuditFields(h.action, undefined, input.at),
    });
  }
  for (const p of unreadPartitions(input.observation, input.plan)) {
    const subject = `${p.cloud}:${p.account}${p.region ? `:${p.region}` : ''}`;
    out.push({
      id: entryId(input.planHash, subject, 'unreadable', at),
      at,
      actor: input.actor,
      action: 'observe',
      subject,
      cloud: p.cloud,
      reason: p.reasons.join('; ') || 'not read',
      outcome: 'unreadable',
      kind: 'unreadable-partition',
      planHash: input.planHash,
    });
  }
  const tally = tallyOf(input.scope);
  if (tally === undefined) return out;
  const counts = conformanceCounts(input.policy, input.observation, input.plan, tally.owns, input.results);
  out.push({
    id: entryId(input.planHash, 'conformance', tally.subject, at),
    at,
    actor: input.actor,
    action: 'sweep',
    subject: tally.subject,
    kind: 'conformance',
    ...(input.scope.kind === 'account' ? { cloud: input.scope.cloud } : {}),
    reason: `${counts.converged} of ${counts.desired} desired links converged`,
    outcome: input.observation.complete ? 'complete' : 'incomplete',
    planHash: input.planHash,
    counts,
  });
  return out;
}

/**
 * Desired links by state: converged (an active peering), pending (this plan creates or accepts it),
 * held (not active and the plan does not act on it: waiting for approval, or held on an unread partition),
 * refused (overlap or quota). `owns` keeps the links one account's tally counts: each link is owned by its
 * requester when peerkeeper governs the requester's account (a spoke's sweep also reads its hub), else by its
 * accepter — so per-account tallies add up to the estate without counting a link twice.
 */
export function conformanceCounts(
  policy: Policy,
  observation: Observation,
  plan: Plan,
  owns: (ref: NetworkRef) => boolean = () => true,
  results: readonly { action: Action; status: string }[] = [],
): { desired: number; converged: number; pending: number; held: number; refused: number } {
  const index = indexEstate(policy, observation);
  const governed = new Map<Cloud, string[]>();
  const isGoverned = (ref: NetworkRef) =>
    (governed.get(ref.cloud) ?? governed.set(ref.cloud, governedAccounts(policy, ref.cloud)).get(ref.cloud)!).some(
      (a) => sameAccount(ref.cloud, a, ref.account),
    );
  const owner = (requester: NetworkRef, accepter: NetworkRef) => (isGoverned(requester) ? requester : accepter);
  const all = desirePeerings(index);
  const desired = all.desired.filter((d) => owns(owner(d.requester.ref, d.accepter.ref)));
  const refused = all.refused.filter((r) => owns(owner(r.a.ref, r.b.ref)));
  const acted = new Set<string>();
  for (const a of plan.actions) {
    if (a.action === 'create-peering' || a.action === 'accept-peering')
      acted.add(pairKey(a.target.requester, a.target.accepter));
  }
  // Accepted in this very run (an accept that went through leaves the link active).
  const accepted = new Set(
    results
      .filter((r) => r.action.action === 'accept-peering' && (r.status === 'done' || r.status === 'converged'))
      .map((r) =>
        r.action.action === 'accept-peering' ? pairKey(r.action.target.requester, r.action.target.accepter) : '',
      ),
  );
  let converged = 0;
  let pending = 0;
  for (const d of desired) {
    const live = index.peeringsByPair.get(d.key) ?? [];
    if (live.some((p) => p.state === 'active') || accepted.has(d.key)) converged++;
    else if (acted.has(d.key)) pending++;
  }
  return {
    desired: desired.length + refused.length,
    converged,
    pending,
    held: desired.length - converged - pending,
    refused: refused.length,
  };
}
