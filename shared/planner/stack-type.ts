import { isIPv6Cidr } from '../cidr';
import type { Cloud, Network, PeeringOptions } from '../model';

const hasIpv6 = (n: Network | undefined): boolean => n !== undefined && n.cidrs.some(isIPv6Cidr);

/**
 * The options a link should carry given its two networks. GCP peerings exchange IPv6 only when both
 * halves say `stackType: IPV4_IPV6` (the API's default is IPV4_ONLY), so a link between two dual-stack
 * networks wants IPV4_IPV6; a half left IPV4_ONLY is then drift, fixed by updatePeering. A policy that
 * names a stackType itself wins; an unobserved side decides nothing.
 */
export function linkOptions(
  options: PeeringOptions,
  cloud: Cloud,
  requester: Network | undefined,
  accepter: Network | undefined,
): PeeringOptions {
  if (cloud !== 'gcp' || options.stackType !== undefined) return options;
  return hasIpv6(requester) && hasIpv6(accepter) ? { ...options, stackType: 'IPV4_IPV6' } : options;
}
