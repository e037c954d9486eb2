import { cidrsOverlap, normalizeCidr, tryParseCidr } from '../../cidr';
import type { Action, Network, Route, RouteTable } from '../../model';
import { networkKey } from '../../model';
import type { EstateIndex } from '../estate-index';
import { describeNetwork, selectTables } from '../estate-index';
import { limitsFor } from '../limits';
import { isDriftedHop, isWholeSpace } from '../obstacles';
import { routableCidrs } from '../route-families';
import type { TransitSpoke } from './links';
import type { Reach } from './reach';
import { reachesOf } from './reach';

/** A range a spoke routes toward its hub, and the path a reason names. */
interface Destination {
  cidr: string;
  path: string;
  /** The spoke whose range it is: a scoped plan of that spoke (its attach event) keeps the route. */
  peer?: Network;
}

/** Whether the hub's associated route table routes a range anywhere: a spoke route to a hub that drops it would blackhole. */
function hubRoutes(spoke: TransitSpoke, cidr: string): boolean {
  const table = spoke.view.observed?.routeTables.find((t) => t.id === spoke.view.decl.associate);
  const range = tryParseCidr(cidr);
  return (
    range !== undefined &&
    (table?.routes ?? []).some((r) => {
      const to = tryParseCidr(r.destination);
      return r.state !== 'blackhole' && to !== undefined && cidrsOverlap(to, range);
    })
  );
}

function crossCloudPath(index: EstateIndex, spoke: TransitSpoke, reach: Reach, network: Network): string {
  const far = reach.farHub ? `${reach.farHub} (${network.ref.cloud} hub)` : `${network.ref.cloud}`;
  return `${describeNetwork(index, spoke.network.ref)} → ${spoke.view.decl.id} → ${reach.interconnect?.kind ?? 'interconnect'} ${reach.through} → ${far} → ${describeNetwork(index, network.ref)}`;
}

function learnedPath(index: EstateIndex, spoke: TransitSpoke, reach: Reach, cidr: string): string {
  const far = reach.farHub ? `${reach.farHub} (reached hub)` : 'the other cloud';
  return `${describeNetwork(index, spoke.network.ref)} → ${spoke.view.decl.id} → ${reach.interconnect?.kind ?? 'interconnect'} ${reach.through} → ${far}: ${cidr} as ${spoke.view.decl.associate} learns it over the interconnect`;
}

/** The ranges one spoke routes toward its hub: the policy's summaries, or every other spoke; plus the reached clouds. */
function destinationsOf(
  index: EstateIndex,
  spoke: TransitSpoke,
  all: readonly TransitSpoke[],
  out: Action[],
): Destination[] {
  const own = spoke.network.cidrs.flatMap((c) => tryParseCidr(c) ?? []);
  const mine = (cidr: string) => {
    const r = tryParseCidr(cidr);
    return r === undefined || isWholeSpace(cidr) || own.some((o) => cidrsOverlap(o, r));
  };
  const declared = spoke.connection.routes.destinations;
  const toHub = `${spoke.view.name} (${spoke.view.decl.id})`;
  const local: Destination[] = Array.isArray(declared)
    ? declared.map((cidr) => ({ cidr, path: `summary ${cidr} through ${toHub}` }))
    : all
        // Only spokes attached already: routes toward the hub are never deleted, so one toward a spoke still being
        // attached would outlive its refusal or rejection (and a scope that cannot see what refuses it would write it).
        .filter((o) => o.view === spoke.view && o !== spoke && o.active !== undefined)
        .flatMap((o) =>
          o.network.cidrs.map((cidr) => ({
            cidr,
            path: `${describeNetwork(index, o.network.ref)} through ${toHub}`,
            peer: o.network,
          })),
        );
  const remote: Destination[] = [];
  const learned: Destination[] = [];
  for (const reach of reachesOf(index, spoke.view)) {
    if (reach.interconnect)
      for (const cidr of reach.learned) learned.push({ cidr, path: learnedPath(index, spoke, reach, cidr) });
    for (const network of reach.networks) {
      for (const cidr of network.cidrs) {
        if (mine(cidr)) continue;
        if (!reach.interconnect || !hubRoutes(spoke, cidr)) {
          out.push({
            action: 'report',
            cloud: spoke.network.ref.cloud,
            severity: 'warning',
            connection: spoke.connection.name,
            target: { subject: `${spoke.view.decl.id} ${cidr}`, networks: [spoke.network.ref, network.ref] },
            reason: reach.interconnect
              ? `${spoke.connection.name}: ${spoke.view.decl.associate} has no route to ${cidr} over ${reach.through}; not routing it from ${describeNetwork(index, spoke.network.ref)} (it would blackhole)`
              : `${spoke.connection.name}: interconnect ${reach.through} is not on ${spoke.view.decl.id}; ${cidr} is not routed (peerkeeper never creates interconnects)`,
          });
          continue;
        }
        remote.push({ cidr, path: crossCloudPath(index, spoke, reach, network) });
      }
    }
  }
  const byCidr = new Map<string, Destination>();
  // A range known as another cloud's network names that network; one only the hub's table knows names the interconnect.
  for (const d of [...local, ...remote, ...learned]) {
    if (mine(d.cidr)) continue;
    const cidr = normalizeCidr(d.cidr);
    if (!byCidr.has(cidr)) byCidr.set(cidr, { ...d, cidr });
  }
  return [...byCidr.values()].sort((a, b) => a.cidr.localeCompare(b.cidr));
}

function planTable(
  index: EstateIndex,
  spoke: TransitSpoke,
  table: RouteTable,
  wanted: readonly Destination[],
  out: Action[],
) {
  const { network, connection, view } = spoke;
  const limit = limitsFor(index, network.ref).routesPerTable;
  let count = table.routes.length;
  const routable = new Set(
    routableCidrs(
      network,
      wanted.map((d) => d.cidr),
    ),
  );
  const at = (cidr: string): Route | undefined => table.routes.find((r) => tryParseCidr(r.destination)?.text === cidr);
  for (const d of wanted) {
    if (!routable.has(d.cidr)) continue; // IPv6 only into IPv6 networks, IPv4 only into IPv4-capable ones
    const target = { network: network.ref, routeTableId: table.id, destination: d.cidr };
    const reason = `${connection.name}: ${d.path}`;
    const existing = at(d.cidr);
    if (existing?.target.kind === 'other' && existing.target.id === view.ref.id) continue;
    if (existing) {
      if (isDriftedHop(existing.target) && index.policy.drift.routes === 'revert')
        out.push({
          action: 'replace-route',
          cloud: network.ref.cloud,
          connection: connection.name,
          target,
          before: existing,
          after: { kind: 'other', id: view.ref.id },
          reason,
        });
      else
        out.push({
          action: 'report',
          cloud: network.ref.cloud,
          severity: 'warning',
          connection: connection.name,
          target: { subject: `${table.id} ${d.cidr}`, networks: [network.ref] },
          reason: `${connection.name}: ${d.cidr} in ${table.id} of ${describeNetwork(index, network.ref)} already goes to ${existing.target.kind === 'peering' ? existing.target.peeringId : existing.target.id}; left alone`,
        });
      continue;
    }
    if (count >= limit) {
      out.push({
        action: 'report',
        cloud: network.ref.cloud,
        severity: 'error',
        connection: connection.name,
        target: { subject: `${table.id} ${d.cidr}`, networks: [network.ref] },
        reason: `${connection.name}: ${table.id} of ${describeNetwork(index, network.ref)} is full (${limit} routes, ${limits(index, network)}); ${d.cidr} is not routed`,
      });
      continue;
    }
    count += 1;
    out.push({
      action: 'create-route',
      cloud: network.ref.cloud,
      connection: connection.name,
      target,
      after: { kind: 'other', id: view.ref.id },
      ...(d.peer ? { peer: d.peer.ref } : {}),
      reason,
    });
  }
}

const limits = (index: EstateIndex, network: Network) => limitsFor(index, network.ref).label;

/**
 * Routes toward the hub in the route tables of AWS spokes whose attachment is active (a Transit Gateway needs them;
 * Virtual WAN and NCC program their spokes themselves). A route at a wanted range that goes elsewhere is left alone
 * and reported, unless it points at a NAT, internet or egress-only gateway (drift, put back). Routes are never
 * deleted here: a route to the hub at a range no longer wanted may be someone's.
 */
export function planTransitRoutes(index: EstateIndex, spokes: readonly TransitSpoke[]): Action[] {
  const out: Action[] = [];
  const seen = new Set<string>();
  for (const spoke of spokes) {
    if (spoke.view.ref.cloud !== 'aws' || !spoke.active) continue;
    const key = networkKey(spoke.network.ref);
    if (seen.has(key)) continue;
    seen.add(key);
    const wanted = destinationsOf(index, spoke, spokes, out);
    for (const table of selectTables(spoke.network, spoke.connection.routes.tables))
      planTable(index, spoke, table, wanted, out);
  }
  return out;
}
