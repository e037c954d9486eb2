import type { Network } from '../model';

/** The address family of a range by its spelling: IPv6 text always holds a colon, IPv4 text never does. */
const familyOf = (cidr: string): 4 | 6 => (cidr.includes(':') ? 6 : 4);

/**
 * The peer ranges a network can route: only families it has a range of. An IPv4-only VPC cannot carry IPv6 to a
 * peer (AWS and Azure accept the route, which then carries nothing and uses quota), so IPv6 peer ranges are
 * routed only into networks with an IPv6 range, and likewise for IPv4 (IPv6-only networks). Spelling decides the
 * family (no parse: this runs for every side of every link).
 */
export function routableCidrs(network: Network, peerCidrs: readonly string[]): readonly string[] {
  let v4 = false;
  let v6 = false;
  for (const c of network.cidrs)
    if (familyOf(c) === 6) v6 = true;
    else v4 = true;
  if (v4 && v6) return peerCidrs;
  return peerCidrs.filter((c) => (familyOf(c) === 6 ? v6 : v4));
}
