import { cidrContains, cidrsOverlap, tryParseCidr } from '../cidr';
import type { Route, RouteTarget } from '../model';

/**
 * Address space a cloud's managed service list never holds: RFC 1918, shared CGNAT (RFC 6598), link-local and
 * IPv6 unique-local. AWS-managed prefix lists (the S3 and DynamoDB gateway endpoints' `pl-…`) and Azure service tags
 * name public service ranges only, so a private peer range never competes with them.
 */
const NON_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'];

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
 * Next hops that are somebody's routing design, not a slip of the hand: transit and VPN gateways, carrier and
 * local gateways, Cloud WAN core networks, endpoints and appliances' network interfaces, Azure's virtual network
 * gateway. A static route to one of them is never replaced by a peering route, even at a peer's exact range: the
 * conflict is reported (DESIGN §5). A NAT, internet gateway or another peering at a peer's private range carries
 * none of the peer's traffic, so that is drift and is reverted.
 */
export function isTransitTarget(target: RouteTarget): boolean {
  if (target.kind !== 'other') return false;
  return /^(tgw-|vgw-|cagw-|lgw-|vpce-|eni-|arn:aws:networkmanager)/.test(target.id) || /^VirtualNetworkGateway/i.test(target.id);
}

/** A range that is a whole address family (`0.0.0.0/0`, `::/0`): never a peer's range, never a peering route. */
export function isWholeSpace(cidr: string): boolean {
  return cidr.endsWith('/0') && tryParseCidr(cidr)?.prefix === 0;
}

/** The address family of a range, or undefined when it is not a range. */
export function familyOf(cidr: string): 4 | 6 | undefined {
  return tryParseCidr(cidr)?.version;
}
