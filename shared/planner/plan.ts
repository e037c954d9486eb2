import { cidrsOverlap, tryParseCidr } from '../cidr';
import type { Action, NetworkRef, Observation, Plan, Scope } from '../model';
import { networkKey } from '../model';
import type { Connection, Policy } from '../policy/schema';
import { desirePeerings } from './desired-peerings';
import { indexEstate } from './estate-index';
import type { EstateIndex } from './estate-index';
import { capChanges, orderActions } from './order';
import { heldProblems, holdUnread } from './holds';
import { knowledgeOf } from './knowledge';
import { planPeerings } from './peerings';
import { nearSideLinks } from './near-side';
import { planRoutes } from './routes';
import { filterToScope } from './scope-filter';
import { planTransit } from './transit';
import type { ApprovalState } from './request';

/** Network key → the ranges of its peers in undecided pairs: a full view may still route them, so they are left alone. */
function undecidedRanges(index: EstateIndex, pairs: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of pairs) {
    const [a, b] = pair.split('|') as [string, string];
    out.set(a, [...(out.get(a) ?? []), ...(index.networks.get(b)?.cidrs ?? [])]);
    out.set(b, [...(out.get(b) ?? []), ...(index.networks.get(a)?.cidrs ?? [])]);
  }
  return out;
}

/**
 * A route created in a table may use the slot a delete in the same table frees: a scope that keeps the create keeps
 * those deletes too, so a scoped run never overfills a full table (the planner counted the freed slots).
 */
function withFreedSlots(inScope: Set<Action>, runnable: readonly Action[]): Set<Action> {
  const tableOf = (a: Action) =>
    'routeTableId' in a.target ? `${networkKey(a.target.network)}#${a.target.routeTableId}` : undefined;
  const creating = new Set([...inScope].flatMap((a) => (a.action === 'create-route' ? [tableOf(a)] : [])));
  for (const a of runnable) if (a.action === 'delete-route' && creating.has(tableOf(a))) inScope.add(a);
  return inScope;
}

/** `requester|accepter` of a peering handle: the pair a create, its accept and its routes name. */
const handlePair = (h: { requester: NetworkRef; accepter: NetworkRef }) =>
  `${networkKey(h.requester)}|${networkKey(h.accepter)}`;

/**
 * A link a scope creates or accepts into a network whose overlapping range only this plan's delete of another link
 * frees, when the scope does not carry that delete (it names neither of the scope's networks), is left to a scope
 * or sweep that carries both: run alone it routes two overlapping links into one network (monotonicity seed 5438: a
 * spoke's network scope created its link into the hub while the hub's unwanted link for 10.1.0.0/16 stayed). So
 * are the accept and routes that follow from it.
 */
function withoutFreedRanges(inScope: Set<Action>, planned: readonly Action[], index: EstateIndex): Set<Action> {
  const freed = new Map<string, string[]>();
  for (const a of planned) {
    if (a.action !== 'delete-peering' || inScope.has(a)) continue;
    const p = a.before;
    const cidrsOf = (ref: NetworkRef, listed: readonly string[] | undefined) =>
      listed ?? index.networks.get(networkKey(ref))?.cidrs ?? [];
    const into = (ref: NetworkRef) =>
      freed.get(networkKey(ref)) ?? freed.set(networkKey(ref), []).get(networkKey(ref))!;
    into(p.requester).push(...cidrsOf(p.accepter, p.accepterCidrs));
    into(p.accepter).push(...cidrsOf(p.requester, p.requesterCidrs));
  }
  if (freed.size === 0) return inScope;
  const byId = new Map(index.observation.peerings.map((p) => [p.id, p]));
  const blocked = new Set<string>();
  const blockedIds = new Set<string>();
  for (const a of inScope) {
    if (a.action !== 'create-peering' && a.action !== 'accept-peering') continue;
    const { requester, accepter } = a.target;
    const listed = a.target.id ? byId.get(a.target.id) : undefined;
    const cidrsOf = (ref: NetworkRef, fromRecord: readonly string[] | undefined) =>
      index.networks.get(networkKey(ref))?.cidrs ?? fromRecord ?? [];
    const contested =
      overlapsAny(cidrsOf(accepter, listed?.accepterCidrs), freed.get(networkKey(requester))) ||
      overlapsAny(cidrsOf(requester, listed?.requesterCidrs), freed.get(networkKey(accepter)));
    if (!contested) continue;
    blocked.add(handlePair(a.target));
    if (a.target.id) blockedIds.add(a.target.id);
  }
  if (blocked.size === 0) return inScope;
  for (const a of [...inScope]) {
    const handle =
      a.action === 'create-route' || a.action === 'replace-route'
        ? a.after.kind === 'peering'
          ? a.after.peering
          : undefined
        : a.action === 'create-peering' || a.action === 'accept-peering'
          ? a.target
          : undefined;
    if (handle && (blocked.has(handlePair(handle)) || (handle.id !== undefined && blockedIds.has(handle.id))))
      inScope.delete(a);
  }
  return inScope;
}

/** Whether any of `cidrs` overlaps any of `others`; text that is not a range overlaps nothing here. */
function overlapsAny(cidrs: readonly string[], others: readonly string[] | undefined): boolean {
  if (!others || others.length === 0) return false;
  const parsed = others.flatMap((c) => tryParseCidr(c) ?? []);
  return cidrs.some((c) => {
    const x = tryParseCidr(c);
    return x !== undefined && parsed.some((y) => cidrsOverlap(x, y));
  });
}

/** Everything a plan depends on. Same input → byte-identical plan. */
export interface PlanInput {
  policy: Policy;
  observation: Observation;
  scope?: Scope;
  /** Time is passed in: request expiry and approval deadlines depend on it. */
  now: Date;
  /** Where approvals stand, by peering id (decided, pending or expired). */
  decisions?: ReadonlyMap<string, ApprovalState>;
}

/**
 * Desired state from policy + observation, diffed into an ordered plan. Total: any observation an adapter can
 * produce plans without throwing. An action whose decision depends on a partition that was not read completely is
 * held, never planned (DESIGN §11); at most `limits.maxChangesPerRun` changes; every action carries its reason.
 */
export function planScope(input: PlanInput): Plan {
  const { policy, observation } = input;
  const scope = input.scope ?? { kind: 'estate' as const };
  const index = indexEstate(policy, observation);
  // Only a route-table scope may restore a link's routes from one side: its reconcile skips that far-side read.
  const nearSide = scope.kind === 'route-table' ? nearSideLinks(index) : new Map<string, Connection>();
  const wants = desirePeerings(index);
  const peerings = planPeerings(index, wants, { now: input.now, decisions: input.decisions ?? new Map(), nearSide });
  const routes = planRoutes(
    index,
    peerings.intents,
    peerings.actions,
    peerings.undecidedPeeringIds,
    undecidedRanges(index, wants.undecided),
  );
  const transit = planTransit(index, { now: input.now, decisions: input.decisions ?? new Map() });
  const knowledge = knowledgeOf(observation);
  // Holds are judged on the whole plan before the scope narrows it: a route held with its link's accept stays held
  // in a scope that does not carry the accept.
  const holding = holdUnread(orderActions([...peerings.actions, ...routes, ...transit]), index, knowledge);
  const planned = [...holding.actions, ...holding.held.map((h) => h.action)];
  const inScope = withoutFreedRanges(
    withFreedSlots(new Set<Action>(filterToScope(planned, scope)), holding.actions),
    planned,
    index,
  );
  const held = holding.held.filter((h) => inScope.has(h.action));
  const capped = capChanges(
    holding.actions.filter((a) => inScope.has(a)),
    policy.limits.maxChangesPerRun,
  );
  const gaps = observation.gaps.map((g) => ({
    severity: 'error' as const,
    code: 'incomplete-observation',
    message: g,
  }));
  return {
    complete: observation.complete,
    scope,
    mode: policy.mode,
    actions: capped.actions,
    held,
    partitions: knowledge.statuses(),
    problems: [...gaps, ...heldProblems(held), ...capped.problems],
  };
}
