import { createHash } from 'node:crypto';
import type { Action, Cloud, Observation, Plan, Scope, Trigger } from '../model';
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
    case 'replace-route': return 'route-drift';
    case 'delete-route': return 'route-drift';
    case 'update-peering': return 'peering-drift';
    case 'create-peering': return action.replaces ? 'peering-drift' : undefined;
    case 'report': return reportKind(action.reason);
    default: return undefined;
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
  if (fromPlan.length > 0) return fromPlan.map((p) => ({ cloud: p.cloud, account: p.account, region: p.region, reasons: p.reasons }));
  const grouped = new Map<string, UnreadablePartition & { reasons: string[] }>();
  for (const u of observation.unread ?? []) {
    const key = `${u.cloud}:${u.account}:${u.region ?? ''}`;
    const entry = grouped.get(key) ?? grouped.set(key, { cloud: u.cloud, account: u.account, region: u.region, reasons: [] }).get(key)!;
    entry.reasons.push(u.reason);
  }
  return [...grouped.values()];
}

/** What a held action is about, in the same words the reconcile's audit entries use for actions. */
function heldSubject(action: Action): string {
  if (action.action === 'report') return action.target.subject;
  const t = action.target;
  return 'network' in t ? `${action.cloud}:${t.routeTableId}:${t.destination}` : `${action.cloud}:${t.id ?? `${t.requester.id}->${t.accepter.id}`}`;
}

/**
 * Entries one reconcile adds beyond its actions: one per held action (waiting for a partition it could not
 * read), one per unreadable partition (alarms and the report count consecutive sweeps), and, for the sweep only (the one scope that sees every desired link), one
 * `conformance` tally of the estate.
 */
export function observationAuditEntries(input: { policy: Policy; observation: Observation; plan: Plan; scope: Scope; at: Date; actor: string; planHash: string }): AuditEntry[] {
  const at = input.at.toISOString();
  const out: AuditEntry[] = [];
  for (const h of input.plan.held ?? []) { // plans built before the planner held actions have none
    out.push({ id: entryId(input.planHash, heldSubject(h.action), h.action.action, 'held', at), at, actor: input.actor, action: h.action.action, subject: heldSubject(h.action),
      reason: h.reason, outcome: 'held', planHash: input.planHash, ...actionAuditFields(h.action, undefined, input.at) });
  }
  for (const p of unreadPartitions(input.observation, input.plan)) {
    const subject = `${p.cloud}:${p.account}${p.region ? `:${p.region}` : ''}`;
    out.push({ id: entryId(input.planHash, subject, 'unreadable', at), at, actor: input.actor, action: 'observe', subject, cloud: p.cloud,
      reason: p.reasons.join('; ') || 'not read', outcome: 'unreadable', kind: 'unreadable-partition', planHash: input.planHash });
  }
  if (input.scope.kind !== 'estate') return out;
  const counts = conformanceCounts(input.policy, input.observation, input.plan);
  out.push({ id: entryId(input.planHash, 'conformance', at), at, actor: input.actor, action: 'sweep', subject: 'estate', kind: 'conformance',
    reason: `${counts.converged} of ${counts.desired} desired links converged`, outcome: input.observation.complete ? 'complete' : 'incomplete', planHash: input.planHash, counts });
  return out;
}

/**
 * Desired links by state: converged (an active peering), pending (this plan creates or accepts it),
 * held (not active and the plan does not act on it: waiting for approval, or held on an unread partition),
 * refused (overlap or quota).
 */
export function conformanceCounts(policy: Policy, observation: Observation, plan: Plan): { desired: number; converged: number; pending: number; held: number; refused: number } {
  const index = indexEstate(policy, observation);
  const { desired, refused } = desirePeerings(index);
  const acted = new Set<string>();
  for (const a of plan.actions) {
    if (a.action === 'create-peering' || a.action === 'accept-peering') acted.add(pairKey(a.target.requester, a.target.accepter));
  }
  let converged = 0;
  let pending = 0;
  for (const d of desired) {
    const live = index.peeringsByPair.get(d.key) ?? [];
    if (live.some((p) => p.state === 'active')) converged++;
    else if (acted.has(d.key)) pending++;
  }
  return { desired: desired.length + refused.length, converged, pending, held: desired.length - converged - pending, refused: refused.length };
}
