import { type Cidr, cidrsOverlap, tryParseCidr } from '../cidr';
import type { Action, HeldAction, Network, NetworkRef, PeeringHandle, Problem, UnreadPartition } from '../model';
import { isMutating, networkKey } from '../model';
import { connectionSides, isTransitConnection } from './connections';
import type { EstateIndex } from './estate-index';
import { groupsOfRef, pairKey } from './estate-index';
import { limitsFor } from './limits';
import type { Knowledge } from './knowledge';
import { unreadKey } from './knowledge';
import { transitDependencies } from './transit/holds';

/**
 * The unread partitions that could hold a network competing with `ref` for the ranges routed into it: the far
 * sides of every connection `ref` belongs to, up to `bound` in policy order (a link only loses its slot to one that
 * ranks before it: desired-peerings.ts).
 */
function contestants(
  index: EstateIndex,
  knowledge: Knowledge,
  ref: NetworkRef,
  bound: number,
  memo: Map<string, readonly UnreadPartition[]>,
): readonly UnreadPartition[] {
  const key = `${networkKey(ref)}#${bound}`;
  const known = memo.get(key);
  if (known) return known;
  const groups = groupsOfRef(index, ref);
  const out = new Set<UnreadPartition>();
  index.policy.connections.forEach((c, i) => {
    if (i > bound) return;
    // Every spoke of a transit hub competes with the others for the ranges the hub routes.
    if (isTransitConnection(c)) {
      if (groups.has(c.spokes)) for (const u of knowledge.unreadInGroup(index.policy.groups[c.spokes])) out.add(u);
      return;
    }
    const [x, y] = connectionSides(c);
    if (groups.has(x)) for (const u of knowledge.unreadInGroup(index.policy.groups[y])) out.add(u);
    if (groups.has(y)) for (const u of knowledge.unreadInGroup(index.policy.groups[x])) out.add(u);
  });
  const list = [...out];
  memo.set(key, list);
  return list;
}

/** Memos one holdUnread pass shares: parsed network ranges, holders per destination, contestants per network. */
interface HoldMemo {
  ranges?: { network: Network; range: Cidr }[];
  holders: Map<string, readonly Network[]>;
  contestants: Map<string, readonly UnreadPartition[]>;
}

/** Observed networks holding a range that overlaps a destination: the peers that could want a route to it. */
function holdersOf(index: EstateIndex, destination: string, memo: HoldMemo): readonly Network[] {
  let found = memo.holders.get(destination);
  if (!found) {
    const range = tryParseCidr(destination);
    memo.ranges ??= index.observation.networks.flatMap((network) =>
      network.cidrs.flatMap((c) => {
        const r = tryParseCidr(c);
        return r ? [{ network, range: r }] : [];
      }),
    );
    found = range ? [...new Set(memo.ranges.filter((x) => cidrsOverlap(x.range, range)).map((x) => x.network))] : [];
    memo.holders.set(destination, found);
  }
  return found;
}

/** Which partitions a decision read (DESIGN §11); those that were not read completely hold it. */
function dependencies(
  action: Action,
  index: EstateIndex,
  knowledge: Knowledge,
  links: ReadonlyMap<string, readonly UnreadPartition[]>,
  memo: HoldMemo,
): UnreadPartition[] {
  const at = (ref: NetworkRef) => knowledge.unreadAt(ref);
  const contest = (ref: NetworkRef, bound: number) => contestants(index, knowledge, ref, bound, memo.contestants);
  const all = index.policy.connections.length;
  const order =
    action.connection === undefined ? all : index.policy.connections.findIndex((c) => c.name === action.connection);
  const link = (h: PeeringHandle, bound: number) => [
    ...at(h.requester),
    ...at(h.accepter),
    ...contest(h.requester, bound),
    ...contest(h.accepter, bound),
  ];
  switch (action.action) {
    // Whether a link may exist reads both sides, their tables (routed overlaps) and whoever could compete for its ranges.
    case 'create-peering':
    case 'accept-peering':
    case 'reject-peering':
    case 'request-approval':
      return link(action.target, order < 0 ? all : order);
    case 'delete-peering':
      return link(action.target, all);
    case 'update-peering':
      return [...at(action.target.requester), ...at(action.target.accepter)];
    case 'create-route':
    case 'replace-route': {
      const own = [...at(action.target.network), ...(action.peer ? at(action.peer) : [])];
      // An Azure UDR names the appliance, not the peering: it waits with the link to its peer all the same.
      if (action.after.kind !== 'peering')
        return action.peer ? [...own, ...(links.get(pairKey(action.target.network, action.peer)) ?? [])] : own;
      const h = action.after.peering;
      return [...own, ...at(h.requester), ...at(h.accepter), ...(links.get(pairKey(h.requester, h.accepter)) ?? [])];
    }
    case 'delete-route': {
      // Whether nobody wants the destination any more reads every partition that could hold a peer wanting it, and
      // whoever competes with the networks holding that range: a full view may repoint the route instead.
      const holders = holdersOf(index, action.target.destination, memo).flatMap((n) => [
        ...at(n.ref),
        ...contest(n.ref, all),
      ]);
      const own = [...at(action.target.network), ...contest(action.target.network, all), ...holders];
      const via = action.before.target.kind === 'peering' ? action.before.target.peeringId : undefined;
      const p = via === undefined ? undefined : index.observation.peerings.find((q) => q.id === via);
      return p ? [...own, ...link(p, all)] : own;
    }
    // A transit link reads its network, the hub (whose route tables hold every attached range) and the partitions
    // that could hold a competing spoke of its connection.
    case 'create-attachment':
    case 'accept-attachment':
    case 'reject-attachment':
      return [
        ...at(action.target.network),
        ...at(action.target.hub),
        ...contest(action.target.network, order < 0 ? all : order),
      ];
    case 'update-attachment':
      return [...at(action.target.network), ...at(action.target.hub)];
    case 'delete-attachment':
      return [...at(action.target.network), ...at(action.target.hub), ...contest(action.target.network, all)];
    case 'report':
      return [];
  }
}

/**
 * Splits a plan into what may run and what is held: a mutating action (or a request for approval) whose decision
 * depends on a partition that was not read completely waits, with a reason naming the partitions; everything
 * else proceeds, so one unreadable account costs its own links, not the estate's drift repair. A route of a link
 * whose create or accept is held is held with it.
 */
export function holdUnread(
  actions: readonly Action[],
  index: EstateIndex,
  knowledge: Knowledge,
): { actions: Action[]; held: HeldAction[] } {
  if (knowledge.complete) return { actions: [...actions], held: [] };
  const links = new Map<string, UnreadPartition[]>();
  const memo: HoldMemo = { holders: new Map(), contestants: new Map() };
  const deps = new Map<Action, UnreadPartition[]>();
  const isRoute = (a: Action) =>
    a.action === 'create-route' || a.action === 'replace-route' || a.action === 'delete-route';
  for (const pass of [false, true]) {
    for (const a of actions) {
      if (isRoute(a) !== pass || !(isMutating(a) || a.action === 'request-approval')) continue;
      const d = [
        ...new Set([...dependencies(a, index, knowledge, links, memo), ...transitDependencies(a, index, knowledge)]),
      ];
      deps.set(a, d);
      if (!pass && 'requester' in a.target && d.length > 0) {
        const key = pairKey(a.target.requester, a.target.accepter);
        links.set(key, [...new Set([...(links.get(key) ?? []), ...d])]);
      }
    }
  }
  holdCreatesPastQuota(actions, index, deps);
  const kept: Action[] = [];
  const held: HeldAction[] = [];
  for (const a of actions) {
    const d = deps.get(a) ?? [];
    if (d.length === 0) {
      kept.push(a);
      continue;
    }
    const waitingFor = [...new Set(d.map(unreadKey))].sort();
    const why = [...new Set(d.map((u) => `${unreadKey(u)}: ${u.reason}`))].sort().join('; ');
    held.push({
      action: a,
      waitingFor,
      reason: `held until ${waitingFor.join(', ')} ${waitingFor.length === 1 ? 'is' : 'are'} read completely (${why})`,
    });
  }
  return { actions: kept, held };
}

/**
 * A route created in a slot a delete frees waits with the delete: when held deletes leave a table without room
 * for every create, the creates past its quota inherit the held deletes' dependencies (never a full table overfilled).
 */
function holdCreatesPastQuota(
  actions: readonly Action[],
  index: EstateIndex,
  deps: Map<Action, UnreadPartition[]>,
): void {
  const byTable = new Map<string, Action[]>();
  for (const a of actions) {
    if (a.action !== 'create-route' && a.action !== 'delete-route') continue;
    const key = `${networkKey(a.target.network)}#${a.target.routeTableId}`;
    byTable.set(key, [...(byTable.get(key) ?? []), a]);
  }
  for (const [key, list] of byTable) {
    const heldDeletes = list.filter((a) => a.action === 'delete-route' && (deps.get(a)?.length ?? 0) > 0);
    if (heldDeletes.length === 0) continue;
    const network = index.networks.get(key.slice(0, key.indexOf('#')));
    const table = network?.routeTables.find((t) => `${networkKey(network.ref)}#${t.id}` === key);
    if (!network || !table) continue;
    let room =
      limitsFor(index, network.ref).routesPerTable -
      table.routes.length +
      list.filter((a) => a.action === 'delete-route' && !heldDeletes.includes(a)).length;
    const waitFor = heldDeletes.flatMap((a) => deps.get(a) ?? []);
    for (const a of list) {
      if (a.action !== 'create-route' || (deps.get(a)?.length ?? 0) > 0) continue;
      if (room > 0) room -= 1;
      else deps.set(a, waitFor);
    }
  }
}

/** The plan's summary line for its held actions. */
export function heldProblems(held: readonly HeldAction[]): Problem[] {
  if (held.length === 0) return [];
  const waiting = [...new Set(held.flatMap((h) => h.waitingFor))].sort().join(', ');
  return [
    {
      severity: 'warning',
      code: 'held',
      message: `${held.length} action(s) held: they depend on partitions that were not read completely (${waiting})`,
    },
  ];
}
