/**
 * CIDR arithmetic on bigint ranges (pure). Overlap checks decide whether a peering may be accepted:
 * AWS fails a peering of overlapping VPCs, and a route cannot serve two networks' ranges.
 */
export {
  type Cidr,
  CidrError,
  parseCidr,
  tryParseCidr,
  normalizeCidr,
  isCanonicalCidr,
  isIPv6Cidr,
  toCidr,
  formatIPv4,
  formatIPv6,
} from './parse';
export {
  type CidrOverlap,
  cidrContains,
  cidrsOverlap,
  compareCidrs,
  findFirstOverlap,
  findOverlaps,
  hasInternalOverlap,
} from './overlap';
