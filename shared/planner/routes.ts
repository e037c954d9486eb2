import { tryParseCidr } from '../cidr';
import type { Action, Network, NetworkRef, PlannedRouteTarget, Route, RouteTable } from '../model';
import { MANAGED_TAG, networkKey } from '../model';
import type { Connection } from '../policy/schema';
import type { EstateIndex } from './estate-index';
import { routesAreWritten, selectTables } from './estate-index';
import type { RouteIntent } from './intents';
import { limitsFor } from './limits';
import { connectionSides, isTransitConnection } from './connections';
import { isDriftedHop, isWholeSpace, routeMayCover, routeWouldBeShadowed } from './obstacles';
import { routableCidrs } from './route-families';

/** A route a managed table needs. Its reason is spelled only when an action needs it (`wantReason`): at 100k networks a plan wants ~1.5M routes and acts on ~2 %. */
interface WantedRoute {
  target: PlannedRouteTarget;
  connection: string;
  peerName: string;
  via: string;
  peeringId: string | undefined;
  peer: NetworkRef;
  restoreOnly: boolean;
}

const wantReason = (want: WantedRoute, destination: string) =>
  `${want.connection}: route ${destination} to ${want.peerName} via ${want.via}`;

/**
 * Whether `text` is an IPv4 range written exactly as `normalizeCidr` writes it (decimal octets without leading zeros,
 * host bits clear): its normal form is itself. Most destinations are; they skip the parse cache's lookup.
 */
function isCanonicalIPv4(text: string): boolean {
  const n = text.length;
  let i = 0;
  let address = 0;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (i >= n || text.charCodeAt(i) !== 46 /* . */) return false;
      i++;
    }
    const start = i;
    let value = 0;
    while (i < n && i - start < 4) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      value = value * 10 + c;
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || value > 255 || (digits > 1 && text.charCodeAt(start) === 48)) return false;
    address = address * 256 + value;
  }
  if (i >= n || text.charCodeAt(i) !== 47 /* / */) return false;
  i++;
  const start = i;
  let prefix = 0;
  while (i < n) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    prefix = prefix * 10 + c;
    i++;
  }
  const digits = i - start;
  if (digits === 0 || digits > 2 || prefix > 32 || (digits > 1 && text.charCodeAt(start) === 48)) return false;
  return prefix === 32 || address % 2 ** (32 - prefix) === 0;
}

/** A destination's normal form (host bits clear, RFC 5952); text that is not a range stays as it is. */
const normalize = (destination: string): string =>
  isCanonicalIPv4(destination) ? destination : (tryParseCidr(destination)?.text ?? destination);

function targetFor(network: Network, intent: RouteIntent): PlannedRouteTarget | undefined {
  const hop = intent.connection.routes.azureNextHop;
  if (!routesAreWritten(network.ref.cloud, hop)) return undefined;
  return network.ref.cloud === 'aws'
    ? { kind: 'peering', peering: intent.handle }
    : { kind: 'other', id: `VirtualAppliance:${hop}` };
}

function matches(route: Route, want: WantedRoute): boolean {
  if (want.target.kind === 'other') return route.target.kind === 'other' && route.target.id === want.target.id;
  return (
    route.target.kind === 'peering' &&
    want.peeringId !== undefined &&
    route.target.peeringId === want.peeringId &&
    route.state !== 'blackhole'
  );
}

/**
 * Table → destination → the route each managed table needs. Conflicting wants are reported, first wins. Tables are
 * keyed by the observed table object itself: no key strings for 500k tables at 100k networks.
 */
function wantedRoutes(intents: readonly RouteIntent[], reports: Action[]): Map<RouteTable, Map<string, WantedRoute>> {
  const wanted = new Map<RouteTable, Map<string, WantedRoute>>();
  for (const intent of intents) {
    for (const side of intent.sides) {
      const target = targetFor(side.network, intent);
      if (!target) continue;
      for (const table of selectTables(side.network, intent.connection.routes.tables)) {
        let slots = wanted.get(table);
        if (!slots) wanted.set(table, (slots = new Map<string, WantedRoute>()));
        for (const cidr of routableCidrs(side.network, side.peerCidrs)) {
          if (isWholeSpace(cidr)) continue; // never a peering route: it would take over the default route
          const destination = normalize(cidr);
          if (slots.has(destination)) {
            reports.push({
              action: 'report',
              cloud: side.network.ref.cloud,
    if (isTransitConnection(c)) continue; // a transit spoke's routes toward its hub are planned in transit/routes.ts
              severity: 'warning',
              connection: intent.connection.name,
              target: { subject: `${table.id} ${destination}`, networks: [side.network.ref] },
              reason: `${destination} in ${table.id} is wanted by two peerings; keeping the first`,
            });
            continue;
          }
          const via = intent.handle.id ?? 'the new peering';
          slots.set(destination, {
            target,
            peer: side.peer,
            connection: intent.connection.name,
            peeringId: intent.handle.id,
            restoreOnly: intent.restoreOnly === true,
            peerName: side.peerName,
            via,
          });
        }
      }
    }
  }
  return wanted;
}

/** Every table some connection manages for a network of its groups (DESIGN §5). */
function managedTables(index: EstateIndex): Set<RouteTable> {
  const managed = new Set<RouteTable>();
  const byGroup = new Map<string, Connection[]>();
  for (const c of index.policy.connections) {
    for (const g of new Set(connectionSides(c))) byGroup.set(g, [...(byGroup.get(g) ?? []), c]);
  }
  for (const network of index.observation.networks) {
    const groups = index.groupsOf.get(networkKey(network.ref));
    if (!groups || groups.size === 0) continue;
    // A connection reached through two groups adds the same tables twice: the set keeps one (no per-network set).
    for (const g of groups) {
      for (const c of byGroup.get(g) ?? []) {
        if (!routesAreWritten(network.ref.cloud, c.routes.azureNextHop)) continue;
        for (const t of selectTables(network, c.routes.tables)) managed.add(t);
      }
    }
  }
  return managed;
}

function shadowedReason(destination: string, table: string, shadowed: Route): string {
  const via = shadowed.target.kind === 'peering' ? shadowed.target.peeringId : shadowed.target.id;
  return `${destination} not routed in ${table}: it would take over ${shadowed.destination} → ${via}, which peerkeeper does not own`;
}

/** Whether a route is someone else's: not system, not a default route, not through a live or ours-to-clean peering, not our own next hop. */
function isForeign(
  route: Route,
  owned: ReadonlySet<string>,
  stale: (r: Route) => boolean,
  ownHops: ReadonlySet<string>,
): boolean {
  if (route.origin === 'system') return false;
  if (
    route.target.kind === 'peering' ? owned.has(route.target.peeringId) || stale(route) : ownHops.has(route.target.id)
  )
    return false;
  return !isWholeSpace(route.destination);
}

/** Peering ids a table's routes are judged by: ours, not judgeable here, and rejected by this very plan. */
interface RouteOwnership {
  owned: ReadonlySet<string>;
  unjudged: ReadonlySet<string>;
  rejected: ReadonlySet<string>;
  /** Peer ranges of this network's undecided pairs: a route to one of them waits for a view that decides the pair. */
  undecidedRanges: readonly string[];
}

function planTable(
  index: EstateIndex,
  network: Network,
  table: RouteTable,
  slots: Map<string, WantedRoute> | undefined,
  ownership: RouteOwnership,
  out: Action[],
): void {
  const { owned, unjudged, rejected } = ownership;
  const { cloud } = network.ref;
  const revert = index.policy.drift.routes === 'revert';
  const present = new Set<string>();
  let count = table.routes.length;
  // A route through a peering that is gone (deleted, expired, no longer listed, rejected by this plan) is stale:
  // ours to clean up (EC2 lists every peering of the table's account, so an unlisted one no longer exists).
  const stale = (r: Route) =>
    r.target.kind === 'peering' && (!index.livePeeringIds.has(r.target.peeringId) || rejected.has(r.target.peeringId));
  // Someone else's routes in this table: computed only when a route is to be written here.
  let foreignRoutes: Route[] | undefined;
  const foreign = (): Route[] => {
    if (!foreignRoutes) {
      const ownHops = new Set(
        [...(slots?.values() ?? [])].flatMap((w) => (w.target.kind === 'other' ? [w.target.id] : [])),
      );
      foreignRoutes = table.routes.filter((r) => isForeign(r, owned, stale, ownHops));
    }
    return foreignRoutes;
  };
  // A finding about one slot of this table; never a change.
  const report = (destination: string, severity: 'info' | 'warning' | 'error', reason: string, connection?: string) =>
    out.push({
      action: 'report',
      cloud,
      severity,
      ...(connection ? { connection } : {}),
      target: { subject: `${table.id} ${destination}`, networks: [network.ref] },
      reason,
    });
  for (const route of table.routes) {
    const destination = normalize(route.destination);
    present.add(destination);
    const want = slots?.get(destination);
    if (want && matches(route, want)) continue;
    const address = { network: network.ref, routeTableId: table.id, destination: route.destination };
    if (want) {
      const left = whyLeftAlone(route, destination, table.id, foreign, unjudged);
      if (left) report(destination, left.severity, left.reason, want.connection);
      else if (!revert)
        report(destination, 'warning', `route drift: ${wantReason(want, destination)}`, want.connection);
      else {
        const was = `${route.target.kind === 'peering' ? route.target.peeringId : route.target.id}${route.state === 'blackhole' ? ', blackhole' : ''}`;
        out.push({
          action: 'replace-route',
          cloud,
          connection: want.connection,
          target: address,
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
    const gone = stale(route);
    if (!gone && !owned.has(route.target.peeringId)) continue;
    if (gone && ownership.undecidedRanges.some((r) => routeMayCover(route, r))) continue;
    const reason = gone
      ? `route ${destination} in ${table.id} goes through ${route.target.peeringId}, which no longer exists${route.state === 'blackhole' ? ' (blackhole)' : ''}`
      : `route ${destination} in ${table.id} through ${route.target.peeringId} is no longer wanted`;
    if (!revert) report(destination, 'warning', reason);
    else {
      out.push({ action: 'delete-route', cloud, target: address, before: route, reason });
      count -= 1;
    }
  }
  const limits = limitsFor(index, network.ref);
  for (const [destination, want] of slots ?? []) {
    // A link judged from one side only gets its drifted routes back, never new ones (a full view adds those).
    if (present.has(destination) || want.restoreOnly) continue;
    const shadowed = foreign().find((r) => routeWouldBeShadowed(r, destination));
    if (shadowed) {
      report(destination, 'warning', shadowedReason(destination, table.id, shadowed), want.connection);
      continue;
    }
    if (count >= limits.routesPerTable) {
      const full = `route table ${table.id} is full (${count} of ${limits.routesPerTable} routes; ${limits.label}); ${destination} not added`;
      report(destination, 'error', full, want.connection);
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
  foreign: () => Route[],
  unjudged: ReadonlySet<string>,
): { severity: 'info' | 'warning'; reason: string } | undefined {
  if (route.target.kind === 'other' && !isDriftedHop(route.target)) {
    return {
      severity: 'warning',
      reason: `${destination} in ${table} is routed to ${route.target.id}, someone's routing design; peerkeeper does not replace it`,
    };
  }
  const shadowed = foreign().find((r) => r !== route && routeWouldBeShadowed(r, destination));
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
  const kept = new Set(intents.flatMap((i) => (i.handle.id && !i.restoreOnly ? [i.handle.id] : [])));
  // A peering whose other side this observation cannot see (a scoped reconcile) is not judged here: its routes
  // are left to a reconcile that sees both sides, so a partial view never deletes what the sweep would re-create.
  const seenBoth = (p: { requester: NetworkRef; accepter: NetworkRef }) =>
    index.networks.has(networkKey(p.requester)) && index.networks.has(networkKey(p.accepter));
  for (const p of index.observation.peerings) if (p.tags[MANAGED_TAG] === 'true' && seenBoth(p)) owned.add(p.id);
  for (const id of kept) owned.add(id);
  // A pending peering keeps its routes until it is decided, unless this very plan decides it.
  const rejected = new Set(
    peeringActions.flatMap((a) => (a.action === 'reject-peering' && a.target.id ? [a.target.id] : [])),
  );
  for (const p of index.observation.peerings)
    if (p.state === 'requested' && !rejected.has(p.id) && !kept.has(p.id)) owned.delete(p.id);
  const unjudged = new Set(
    index.observation.peerings
      .filter(
        (p) =>
          (p.state === 'active' || p.state === 'requested') && !seenBoth(p) && !kept.has(p.id) && !rejected.has(p.id),
      )
      .map((p) => p.id),
  );
  for (const id of undecided) {
    unjudged.add(id);
    owned.delete(id);
  }
  const managed = managedTables(index);
  for (const key of wanted.keys()) managed.add(key);
  for (const network of index.observation.networks) {
    for (const table of network.routeTables) {
      if (managed.has(table))
        planTable(
          index,
          network,
          table,
          wanted.get(table),
          { owned, unjudged, rejected, undecidedRanges: undecidedRanges.get(networkKey(network.ref)) ?? [] },
          out,
        );
    }
  }
  return out;
}
