import { tryParseCidr } from '../cidr';
import type { Network } from '../model';

/**
 * The peer ranges a network can route: only families it has a range of. An IPv4-only VPC cannot carry IPv6 to a
 * peer (AWS and Azure accept the route, which then carries nothing and uses quota), so IPv6 peer ranges are
 * routed only into networks with an IPv6 range, and likewise for IPv4 (IPv6-only networks).
 */
export function routableCidrs(network: Network, peerCidrs: readonly string[]): string[] {
  const families = new Set(network.cidrs.map((c) => tryParseCidr(c)?.version));
  return peerCidrs.filter((c) => {
    const version = tryParseCidr(c)?.version;
    return version !== undefined && families.has(version);
  });
}
