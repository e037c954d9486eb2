import { cidrContains, cidrsOverlap, tryParseCidr } from '../cidr';
import type { Route, RouteTarget } from '../model';

/**
 * Address space a cloud's managed service list never holds: RFC 1918, shared CGNAT (RFC 6598), link-local and
 * IPv6 unique-local. AWS-managed prefix lists (the S3 and DynamoDB gateway endpoints' `pl-…`) and Azure service tags
 * name public service ranges only, so a private peer range never competes with them.
 */
const NON_PUBLIC = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
];

function isNonPublic(cidr: string): boolean {
  return NON_PUBLIC.some((space) => cidrContains(space, cidr));
}

/** A destination that names a cloud's public IPv4 service ranges: a gateway endpoint's prefix list, an Azure service tag. */
function isServiceList(route: Route): boolean {
  if (route.destination.startsWith('pl-')) return route.target.kind === 'other' && route.target.id.startsWith('vpce-');
  return /^[A-Za-z][A-Za-z0-9.]*$/.test(route.destination); // Azure service tags: Storage, AzureCloud.WestEurope, …
}

/**
 * Whether a route's destination may share an address with `cidr`. A destination the planner cannot read (a
 * customer-managed prefix list, anything unknown) may hold any range, so it is an obstacle for every range; a
 * service list only for public ranges. Total: never throws, whatever the destination.
 */
export function routeMayCover(route: Route, cidr: string): boolean {
  const wanted = tryParseCidr(cidr);
  if (!wanted) return true;
  const destination = tryParseCidr(route.destination);
  if (destination) return cidrsOverlap(destination, wanted);
  // Gateway endpoints carry IPv4 only, and a VPC's IPv6 range (AWS-allocated or brought) is never in a service list.
  return isServiceList(route) ? wanted.version === 4 && !isNonPublic(wanted.text) : true;
}

/**
 * Whether a route to `cidr` would equal or contain the route's destination (and so take some of its traffic by
 * longest-prefix match or replace it). Unknown destinations count as contained when they may cover the range.
 */
export function routeWouldBeShadowed(route: Route, cidr: string): boolean {
  const destination = tryParseCidr(route.destination);
  if (!destination) return routeMayCover(route, cidr);
  const wanted = tryParseCidr(cidr);
  return wanted !== undefined && cidrContains(wanted, destination);
}

/**
 * Next hops that at a peer's range can only be a slip of the hand: a NAT gateway, an internet or egress-only gateway
 * (Azure: `Internet`, `None`) carries none of a peer's private traffic, so a managed range pointed there is drift
 * and is put back (DESIGN §5). Every other next hop — transit and VPN gateways, carrier and local gateways, Cloud
 * WAN core networks, endpoints, instances and appliances' interfaces, another appliance, Azure's virtual network
 * gateway — is somebody's routing design: a static route to one is never replaced, the conflict is reported.
 */
export function isDriftedHop(target: RouteTarget): boolean {
  return target.kind === 'other' && (/^(nat-|igw-|eigw-)/.test(target.id) || /^(Internet|None)$/i.test(target.id));
}

/** A range that is a whole address family (`0.0.0.0/0`, `::/0`): never a peer's range, never a peering route. */
export function isWholeSpace(cidr: string): boolean {
  return cidr.endsWith('/0') && tryParseCidr(cidr)?.prefix === 0;
}

/** The address family of a range, or undefined when it is not a range. */
export function familyOf(cidr: string): 4 | 6 | undefined {
  return tryParseCidr(cidr)?.version;
}
