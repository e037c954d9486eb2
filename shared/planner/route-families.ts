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

/**
 * Whether `text` is an IPv4 range written exactly as `normalizeCidr` writes it (decimal octets without leading zeros,
 * host bits clear): its normal form is itself. Most destinations are; they skip the parse cache's lookup.
 */
export function isCanonicalIPv4(text: string): boolean {
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
