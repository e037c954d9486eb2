// What the route planner wants: which tables a connection manages, and the route each managed table needs per destination.
import { tryParseCidr } from '../cidr';
import type { Action, Network, NetworkRef, PlannedRouteTarget, Route, RouteTable } from '../model';
import { networkKey } from '../model';
import type { Connection } from '../policy/schema';
import type { EstateIndex } from './estate-index';
import { describeObserved, routesAreWritten, selectTables } from './estate-index';
import type { RouteIntent } from './intents';
import { connectionSides, isTransitConnection } from './connections';
import { isWholeSpace } from './obstacles';
import { isCanonicalIPv4, routableCidrs } from './route-families';

/** A route a managed table needs. Its reason is spelled only when an action needs it (`wantReason`): at 100k networks a plan wants ~1.5M routes and acts on ~2 %. */
export interface WantedRoute {
  target: PlannedRouteTarget;
  connection: string;
  /** The observed peer, if any: the reason names it (`describeObserved`) only when an action needs it. */
  peerNetwork: Network | undefined;
  via: string;
  peeringId: string | undefined;
  peer: NetworkRef;
  restoreOnly: boolean;
}

export const wantReason = (want: WantedRoute, destination: string) =>
  `${want.connection}: route ${destination} to ${describeObserved(want.peer, want.peerNetwork)} via ${want.via}`;

/** A destination's normal form (host bits clear, RFC 5952); text that is not a range stays as it is. */
export const normalize = (destination: string): string =>
  isCanonicalIPv4(destination) ? destination : (tryParseCidr(destination)?.text ?? destination);

export function targetFor(network: Network, intent: RouteIntent): PlannedRouteTarget | undefined {
  const hop = intent.connection.routes.azureNextHop;
  if (!routesAreWritten(network.ref.cloud, hop)) return undefined;
  return network.ref.cloud === 'aws'
    ? { kind: 'peering', peering: intent.handle }
    : { kind: 'other', id: `VirtualAppliance:${hop}` };
}

export function matches(route: Route, want: WantedRoute): boolean {
  if (want.target.kind === 'other') return route.target.kind === 'other' && route.target.id === want.target.id;
  return (
    route.target.kind === 'peering' &&
    want.peeringId !== undefined &&
    route.target.peeringId === want.peeringId &&
    route.state !== 'blackhole'
  );
}

/** Per network, the destinations each of its tables needs, by the table's position in `network.routeTables`. */
export type WantedTables = Map<Network, (Map<string, WantedRoute> | undefined)[]>;

/**
 * Network → table → destination → the route each managed table needs. Conflicting wants are reported, first wins.
 * Tables are found by position in their network (no key string, no per-table hash at 500k tables); a side's
 * destinations are normalized once, and one WantedRoute serves every table of the side.
 */
export function wantedRoutes(intents: readonly RouteIntent[], reports: Action[]): WantedTables {
  const wanted: WantedTables = new Map();
  for (const intent of intents) {
    for (const side of intent.sides) {
      const target = targetFor(side.network, intent);
      if (!target) continue;
      const tables = selectTables(side.network, intent.connection.routes.tables);
      if (tables.length === 0) continue;
      const destinations: string[] = [];
      for (const cidr of routableCidrs(side.network, side.peerCidrs))
        if (!isWholeSpace(cidr)) destinations.push(normalize(cidr)); // a whole family would take over the default route
      const want: WantedRoute = {
        target,
        peer: side.peer,
        connection: intent.connection.name,
        peeringId: intent.handle.id,
        restoreOnly: intent.restoreOnly === true,
        peerNetwork: side.peerNetwork,
        via: intent.handle.id ?? 'the new peering',
      };
      const all = side.network.routeTables;
      let byTable = wanted.get(side.network);
      if (!byTable) wanted.set(side.network, (byTable = []));
      for (let t = 0; t < tables.length; t++) {
        const table = tables[t]!;
        const at = tables === all ? t : all.indexOf(table);
        let slots = byTable[at];
        if (!slots) byTable[at] = slots = new Map<string, WantedRoute>();
        for (const destination of destinations) {
          if (slots.has(destination)) {
            reports.push({
              action: 'report',
              cloud: side.network.ref.cloud,
              severity: 'warning',
              connection: intent.connection.name,
              target: { subject: `${table.id} ${destination}`, networks: [side.network.ref] },
              reason: `${destination} in ${table.id} is wanted by two peerings; keeping the first`,
            });
            continue;
          }
          slots.set(destination, want);
        }
      }
    }
  }
  return wanted;
}

/** Group name → the connections naming it. */
export function connectionsByGroup(index: EstateIndex): Map<string, Connection[]> {
  const byGroup = new Map<string, Connection[]>();
  for (const c of index.policy.connections) {
    if (isTransitConnection(c)) continue; // a transit spoke's routes toward its hub are planned in transit/routes.ts
    for (const g of new Set(connectionSides(c))) byGroup.set(g, [...(byGroup.get(g) ?? []), c]);
  }
  return byGroup;
}

/**
 * The tables of a network that some connection of its groups manages (DESIGN §5): 'all' when one selects every
 * table (the common case: no set at all), else the selected ones; undefined when none.
 */
export function managedTablesOf(
  index: EstateIndex,
  byGroup: ReadonlyMap<string, readonly Connection[]>,
  network: Network,
): 'all' | Set<RouteTable> | undefined {
  const groups = index.groupsOf.get(networkKey(network.ref));
  if (!groups || groups.size === 0) return undefined;
  let managed: Set<RouteTable> | undefined;
  // A connection reached through two groups adds the same tables twice: the set keeps one.
  for (const g of groups) {
    for (const c of byGroup.get(g) ?? []) {
      if (!routesAreWritten(network.ref.cloud, c.routes.azureNextHop)) continue;
      const tables = selectTables(network, c.routes.tables);
      if (tables === network.routeTables) return 'all';
      for (const t of tables) (managed ??= new Set()).add(t);
    }
  }
  return managed;
}
