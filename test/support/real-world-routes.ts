import type { Network, Peering, Route } from '../../shared/model';
import type { Prng } from '../chaos/prng';
import type { WorldTruth } from './real-world-estate';

/** The generator's state while it builds one world. */
export interface WorldBuilder {
  rng: Prng;
  networks: Network[];
  peerings: Peering[];
  sequence: number;
  /** A fresh AWS-shaped id: `vpc-0…`, `rtb-0…`, `pcx-0…` (17 hex digits). */
  id(prefix: string): string;
  truth: WorldTruth;
}

/** Gateway-endpoint prefix lists (S3, DynamoDB in us-east-1): AWS public space only. */
const S3_LIST = 'pl-63a5400a';
const DYNAMODB_LIST = 'pl-02cd2c6b';
/** A customer-managed prefix list shared over the transit gateway: it could hold any range. */
const CUSTOMER_LIST = 'pl-0c0ffee00000000aa';
const PREFIX_LISTS: Readonly<Record<string, string[]>> = {
  [S3_LIST]: ['52.216.0.0/15', '3.5.0.0/19', '54.231.0.0/16'],
  [DYNAMODB_LIST]: ['52.94.0.0/22', '3.218.180.0/22'],
  [CUSTOMER_LIST]: ['10.250.0.0/16', '10.251.0.0/16', '192.168.100.0/24'],
};
// Transit and VPN routes that overlap spoke ranges (a spoke also reachable through the TGW or a VPN).
const TRANSIT_OVER_SPOKES = ['10.3.0.0/16', '10.3.128.0/17', '10.4.0.0/15', '10.21.0.0/16'];
const CORE_NETWORK = 'arn:aws:networkmanager::111111111111:core-network/core-network-0f1e2d3c4b5a69788';
/** AWS: 50 routes per table by default; near-full tables hold 47–50. */
const ROUTE_QUOTA = 50;

/** A route to a next hop that is not a peering (every kind the clouds return besides pcx). */
export const route = (
  destination: string,
  id: string,
  origin: Route['origin'] = 'static',
  state: Route['state'] = 'active',
): Route => ({ destination, target: { kind: 'other', id }, origin, state });

/**
 * The routes a real VPC table carries besides local and peering routes: every next-hop kind EC2 returns
 * (igw, nat, eigw, vpce prefix lists, tgw, vgw-propagated, eni, instance, carrier, core network, local gateway),
 * default routes in both families, a blackhole, unmanaged transit / VPN routes overlapping spokes, and
 * sometimes enough transit routes to bring the table within 3 routes of its quota.
 */
export function routeKinds(w: WorldBuilder, cidrs: readonly string[], main: boolean): Route[] {
  const { rng } = w;
  const out: Route[] = [];
  const add = (r: Route) => {
    if (!out.some((x) => x.destination === r.destination)) out.push(r);
  };
  const hex = (prefix: string) => `${prefix}-0${rng.int(0, 0xfffffff).toString(16).padStart(16, '0')}`;
  const v6 = cidrs.some((c) => c.includes(':'));
  const gateway = rng.next();
  add(route('0.0.0.0/0', gateway < 0.55 ? hex('nat') : gateway < 0.9 ? hex('igw') : hex('cagw')));
  if (v6 && rng.chance(0.8)) add(route('::/0', hex('eigw')));
  if (rng.chance(0.6)) add(route(S3_LIST, hex('vpce')));
  if (rng.chance(0.3)) add(route(DYNAMODB_LIST, hex('vpce')));
  if (rng.chance(0.1)) add(route(CUSTOMER_LIST, hex('tgw')));
  if (rng.chance(0.4)) add(route('10.250.0.0/16', hex('tgw')));
  if (rng.chance(0.2)) add(route(rng.pick(TRANSIT_OVER_SPOKES), hex('tgw')));
  if (rng.chance(0.3)) add(route('192.168.100.0/24', hex('vgw'), 'propagated'));
  if (rng.chance(0.12)) add(route('10.5.0.0/16', hex('vgw'), 'propagated'));
  if (rng.chance(0.2)) add(route('10.99.0.0/16', hex('eni')));
  if (rng.chance(0.1)) add(route('10.98.0.0/16', hex('i')));
  if (rng.chance(0.1)) add(route('10.240.0.0/14', CORE_NETWORK));
  if (rng.chance(0.05)) add(route('192.168.200.0/24', hex('lgw')));
  if (rng.chance(0.15)) add(route('10.97.0.0/16', hex('nat'), 'static', 'blackhole'));
  if (!main && rng.chance(0.3)) out.splice(0, 1); // an isolated table: no default route
  for (const [id, ranges] of Object.entries(PREFIX_LISTS)) w.truth.prefixLists.set(id, ranges);
  if (rng.chance(0.12)) {
    // 198.18.0.0/15 is benchmarking space: never a peer range, so these only take room.
    const target = rng.int(ROUTE_QUOTA - 3, ROUTE_QUOTA) - cidrs.length;
    for (let k = 0; out.length < target; k++) add(route(`198.18.${k}.0/24`, hex('tgw')));
  }
  return out;
}
