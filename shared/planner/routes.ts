import type { Action, Network, NetworkRef, Route, RouteTable } from '../model';
import { MANAGED_TAG, networkKey } from '../model';
import { governedAccounts } from '../policy/governed';
import type { EstateIndex } from './estate-index';
import { BOTH_SEEN } from './estate-index';
import type { RouteIntent } from './intents';
import { limitsFor } from './limits';
import { isDriftedHop, isWholeSpace, routeMayCover, routeWouldBeShadowed } from './obstacles';
import {
  connectionsByGroup,
  managedTablesOf,
  matches,
  normalize,
  type WantedRoute,
  wantedRoutes,
  wantReason,
} from './route-wants';

function shadowedReason(destination: string, table: string, shadowed: Route): string {
  const via = shadowed.target.kind === 'peering' ? shadowed.target.peeringId : shadowed.target.id;
  return `${destination} not routed in ${table}: it would take over ${shadowed.destination} → ${via}, which peerkeeper does not own`;
}

/** Peering ids a table's routes are judged by: ours, not judgeable here, and rejected by this very plan. */
interface RouteOwnership {
  index: EstateIndex;
  owned: ReadonlySet<string>;
  unjudged: ReadonlySet<string>;
  rejected: ReadonlySet<string>;
  /** drift.routes is revert: drift is put back, not only reported. */
  revert: boolean;
}

/**
 * A route through a peering that is gone (deleted, expired, no longer listed, rejected by this plan) is stale: ours
 * to clean up (EC2 lists every peering of the table's account, so an unlisted one no longer exists).
 */
function isStale(ownership: RouteOwnership, r: Route): boolean {
  return (
    r.target.kind === 'peering' &&
    (!ownership.index.livePeeringIds.has(r.target.peeringId) || ownership.rejected.has(r.target.peeringId))
  );
}

/** Whether a route is someone else's: not system, not a default route, not through a live or ours-to-clean peering, not our own next hop. */
function isForeign(route: Route, ownership: RouteOwnership, ownHops: ReadonlySet<string>): boolean {
  if (route.origin === 'system') return false;
  if (
    route.target.kind === 'peering'
      ? ownership.owned.has(route.target.peeringId) || isStale(ownership, route)
      : ownHops.has(route.target.id)
  )
    return false;
  return !isWholeSpace(route.destination);
}

/** Someone else's routes in a table: computed only when a route is to be written there. */
function foreignRoutes(
  ownership: RouteOwnership,
  table: RouteTable,
  slots: Map<string, WantedRoute> | undefined,
): Route[] {
  const ownHops = new Set(
    [...(slots?.values() ?? [])].flatMap((w) => (w.target.kind === 'other' ? [w.target.id] : [])),
  );
  return table.routes.filter((r) => isForeign(r, ownership, ownHops));
}

/** A finding about one slot of a table; never a change. */
function reportSlot(
  out: Action[],
  network: Network,
  table: RouteTable,
  destination: string,
  severity: 'info' | 'warning' | 'error',
  reason: string,
  connection?: string,
): void {
  out.push({
    action: 'report',
    cloud: network.ref.cloud,
    severity,
    ...(connection ? { connection } : {}),
    target: { subject: `${table.id} ${destination}`, networks: [network.ref] },
    reason,
  });
}

function planTable(
  ownership: RouteOwnership,
  network: Network,
  table: RouteTable,
  slots: Map<string, WantedRoute> | undefined,
  undecidedRanges: readonly string[],
  out: Action[],
): void {
  const { owned, unjudged, revert } = ownership;
  const { cloud } = network.ref;
  // Destinations present in the table; only those a slot wants are remembered.
  let present: Set<string> | undefined;
  let count = table.routes.length;
  let foreign: Route[] | undefined;
  for (const route of table.routes) {
    const destination = normalize(route.destination);
    const want = slots?.get(destination);
    if (want) (present ??= new Set()).add(destination);
    if (want && matches(route, want)) continue;
    if (want) {
      const left = whyLeftAlone(
        route,
        destination,
        table.id,
        (foreign ??= foreignRoutes(ownership, table, slots)),
        unjudged,
      );
      if (left) reportSlot(out, network, table, destination, left.severity, left.reason, want.connection);
      else if (!revert)
        reportSlot(
          out,
          network,
          table,
          destination,
          'warning',
          `route drift: ${wantReason(want, destination)}`,
          want.connection,
        );
      else {
        const was = `${route.target.kind === 'peering' ? route.target.peeringId : route.target.id}${route.state === 'blackhole' ? ', blackhole' : ''}`;
        out.push({
          action: 'replace-route',
          cloud,
          connection: want.connection,
          target: { network: network.ref, routeTableId: table.id, destination: route.destination },
          before: route,
          after: want.target,
          peer: want.peer,
          reason: `${wantReason(want, destination)} (was ${was})`,
        });
      }
      continue;
    }
    // Not wanted: only routes through a peering peerkeeper owns, or through one that is gone, are ours to remove.
    if (route.origin !== 'static' || route.target.kind !== 'peering') continue;
    const gone = isStale(ownership, route);
    if (!gone && !owned.has(route.target.peeringId)) continue;
    if (gone && undecidedRanges.some((r) => routeMayCover(route, r))) continue;
    const reason = gone
      ? `route ${destination} in ${table.id} goes through ${route.target.peeringId}, which no longer exists${route.state === 'blackhole' ? ' (blackhole)' : ''}`
      : `route ${destination} in ${table.id} through ${route.target.peeringId} is no longer wanted`;
    if (!revert) reportSlot(out, network, table, destination, 'warning', reason);
    else {
      out.push({
        action: 'delete-route',
        cloud,
        target: { network: network.ref, routeTableId: table.id, destination: route.destination },
        before: route,
        reason,
      });
      count -= 1;
    }
  }
  if (!slots || slots.size === (present?.size ?? 0)) return; // every wanted route is there
  const limits = limitsFor(ownership.index, network.ref);
  for (const [destination, want] of slots) {
    // A link judged from one side only gets its drifted routes back, never new ones (a full view adds those).
    if (present?.has(destination) || want.restoreOnly) continue;
    const shadowed = (foreign ??= foreignRoutes(ownership, table, slots)).find((r) =>
      routeWouldBeShadowed(r, destination),
    );
    if (shadowed) {
      reportSlot(
        out,
        network,
        table,
        destination,
        'warning',
        shadowedReason(destination, table.id, shadowed),
        want.connection,
      );
      continue;
    }
    if (count >= limits.routesPerTable) {
      const full = `route table ${table.id} is full (${count} of ${limits.routesPerTable} routes; ${limits.label}); ${destination} not added`;
      reportSlot(out, network, table, destination, 'error', full, want.connection);
      continue;
    }
    count += 1;
    out.push({
      action: 'create-route',
      cloud,
      connection: want.connection,
      target: { network: network.ref, routeTableId: table.id, destination },
      after: want.target,
      peer: want.peer,
      reason: wantReason(want, destination),
    });
  }
}

/**
 * Why a route at a wanted destination that points elsewhere is left alone, or undefined when it is drift to put
 * back: a next hop that is someone's design, a route a write would shadow, a link this view cannot judge, a route
 * the cloud (not a person) put there.
 */
function whyLeftAlone(
  route: Route,
  destination: string,
  table: string,
  foreign: readonly Route[],
  unjudged: ReadonlySet<string>,
): { severity: 'info' | 'warning'; reason: string } | undefined {
  if (route.target.kind === 'other' && !isDriftedHop(route.target)) {
    return {
      severity: 'warning',
      reason: `${destination} in ${table} is routed to ${route.target.id}, someone's routing design; peerkeeper does not replace it`,
    };
  }
  const shadowed = foreign.find((r) => r !== route && routeWouldBeShadowed(r, destination));
  if (shadowed) return { severity: 'warning', reason: shadowedReason(destination, table, shadowed) };
  if (route.target.kind === 'peering' && unjudged.has(route.target.peeringId)) {
    // The route goes to a live peering whose far side this reconcile cannot see: a reconcile that sees it decides.
    return {
      severity: 'info',
      reason: `${destination} in ${table} goes through ${route.target.peeringId}, whose other side this reconcile cannot see; left to the sweep`,
    };
  }
  if (route.origin !== 'static')
    return {
      severity: 'warning',
      reason: `${destination} in ${table} is a ${route.origin} route; peerkeeper does not fight it`,
    };
  return undefined;
}

/**
 * Network key → the far ranges of its unjudged links whose far side a fuller view could see (a governed account):
 * that view may want one of those ranges in this network's tables, and then repoints a stale route there (or leaves
 * it, when the write would be shadowed) instead of deleting it, so a stale route they may cover is left to it (chaos
 * seed 1820: a peering scope deleted a dead route the sweep kept for a live link it could not see the far side of).
 * A link without far ranges on its record may want any range. An ungoverned far side (a partner) is never seen:
 * this view is the whole truth about it.
 */
function unjudgedRanges(index: EstateIndex, unjudged: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (unjudged.size === 0) return out;
  const governed = new Map<string, Set<string>>();
  const isGoverned = (ref: NetworkRef) => {
    let accounts = governed.get(ref.cloud);
    if (!accounts)
      governed.set(
        ref.cloud,
        (accounts = new Set(governedAccounts(index.policy, ref.cloud).map((a) => a.toLowerCase()))),
      );
    return accounts.has(ref.account.toLowerCase());
  };
  for (const p of index.observation.peerings) {
    if (!unjudged.has(p.id)) continue;
    for (const [near, far, farCidrs] of [
      [p.requester, p.accepter, p.accepterCidrs],
      [p.accepter, p.requester, p.requesterCidrs],
    ] as const) {
      const key = networkKey(near);
      if (!index.networks.has(key) || index.networks.has(networkKey(far)) || !isGoverned(far)) continue;
      const ranges = farCidrs && farCidrs.length > 0 ? farCidrs : ['unknown']; // not a range: may cover any route
      const into = out.get(key) ?? out.set(key, []).get(key)!;
      into.push(...ranges);
    }
  }
  return out;
}

/**
 * Route actions for every observed table: create what intents need, revert drift of managed routes, remove
 * routes through peerkeeper's own peerings that nothing wants. Routes that are not static, or that go
 * through anything peerkeeper does not own, are never changed. `peeringActions` tell which pending
 * peerings this plan rejects (their routes go in the same run).
 */
export function planRoutes(
  index: EstateIndex,
  intents: readonly RouteIntent[],
  peeringActions: readonly Action[],
  undecided: ReadonlySet<string> = new Set(),
  undecidedRanges: ReadonlyMap<string, readonly string[]> = new Map(),
): Action[] {
  const out: Action[] = [];
  const wanted = wantedRoutes(intents, out);
  const owned = new Set<string>();
  // Restore-only intents (one side seen) keep their routes' drift in check but do not make the link judged here.
  const kept = new Set<string>();
  for (const i of intents) if (i.handle.id && !i.restoreOnly) kept.add(i.handle.id);
  // A peering whose other side this observation cannot see (a scoped reconcile) is not judged here: its routes
  // are left to a reconcile that sees both sides, so a partial view never deletes what the sweep would re-create.
  const { peerings } = index.observation;
  const seenBoth = (i: number) => index.peeringSides[i] === BOTH_SEEN;
  for (let i = 0; i < peerings.length; i++)
    if (peerings[i]!.tags[MANAGED_TAG] === 'true' && seenBoth(i)) owned.add(peerings[i]!.id);
  for (const id of kept) owned.add(id);
  // A pending peering keeps its routes until it is decided, unless this very plan decides it.
  const rejected = new Set(
    peeringActions.flatMap((a) => (a.action === 'reject-peering' && a.target.id ? [a.target.id] : [])),
  );
  for (const p of peerings) if (p.state === 'requested' && !rejected.has(p.id) && !kept.has(p.id)) owned.delete(p.id);
  const unjudged = new Set<string>();
  peerings.forEach((p, i) => {
    if ((p.state === 'active' || p.state === 'requested') && !seenBoth(i) && !kept.has(p.id) && !rejected.has(p.id))
      unjudged.add(p.id);
  });
  for (const id of undecided) {
    unjudged.add(id);
    owned.delete(id);
  }
  const awaiting = unjudgedRanges(index, unjudged);
  const ownership: RouteOwnership = {
    index,
    owned,
    unjudged,
    rejected,
    revert: index.policy.drift.routes === 'revert',
  };
  const byGroup = connectionsByGroup(index);
  for (const network of index.observation.networks) {
    const tables = network.routeTables;
    if (tables.length === 0) continue;
    // Managed: selected by a connection of the network's groups, or by an intent (every table an intent selects).
    const managed = managedTablesOf(index, byGroup, network);
    const wantedHere = wanted.get(network);
    if (managed === undefined && wantedHere === undefined) continue;
    let undecidedHere: readonly string[] | undefined;
    for (let t = 0; t < tables.length; t++) {
      const table = tables[t]!;
      const slots = wantedHere?.[t];
      if (managed !== 'all' && slots === undefined && managed?.has(table) !== true) continue;
      undecidedHere ??= [
        ...(undecidedRanges.get(networkKey(network.ref)) ?? []),
        ...(awaiting.get(networkKey(network.ref)) ?? []),
      ];
      planTable(ownership, network, table, slots, undecidedHere, out);
    }
  }
  return out;
}
