import type { Action, Observation, Plan, Scope } from '../model';
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
  const inScope = withFreedSlots(
    new Set<Action>(filterToScope([...holding.actions, ...holding.held.map((h) => h.action)], scope)),
    holding.actions,
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
