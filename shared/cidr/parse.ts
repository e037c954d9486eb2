import { TerminalError } from '../errors';

/** One IPv4 or IPv6 range. `start`/`end` are the first and last address as integers (inclusive). */
export interface Cidr {
  version: 4 | 6;
  start: bigint;
  end: bigint;
  prefix: number;
  /** Normalized: host bits cleared; IPv6 compressed lowercase per RFC 5952 (e.g. "2600:1f18::/56"). */
  text: string;
}

/** A CIDR that cannot be read. Terminal: the same text will never parse on a retry. */
export class CidrError extends TerminalError {
  override readonly name: string = 'CidrError';
  constructor(message: string) {
    super(message, { code: 'InvalidCidr' });
  }
}

const BITS = { 4: 32, 6: 128 } as const;
// Decimal without leading zeros: "010" is octal to inet_aton but decimal to AWS, so it is refused as ambiguous.
const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const PREFIX = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function fail(text: string, why: string): never {
  throw new CidrError(`invalid CIDR ${JSON.stringify(text)}: ${why}`);
}

function parseIPv4Address(text: string, address: string): bigint {
  const octets = address.split('.');
  if (octets.length !== 4) fail(text, `an IPv4 address has 4 dotted octets, found ${octets.length}`);
  let value = 0;
  for (const octet of octets) {
    if (!DECIMAL_OCTET.test(octet))
      fail(text, `octet ${JSON.stringify(octet)} is not a decimal 0-255 without leading zeros`);
    const n = Number(octet);
    if (n > 255) fail(text, `octet ${n} is above 255`);
    value = value * 256 + n;
  }
  return BigInt(value);
}

function parseHexGroups(text: string, part: string): string[] {
  if (part === '') return [];
  const groups = part.split(':');
  for (const group of groups) {
    if (group === '') fail(text, 'a lone ":" or ":::"; only one "::" may stand for zero groups');
  }
  return groups;
}

function parseIPv6Address(text: string, address: string): bigint {
  if (address.includes('%')) fail(text, 'zone ids (%eth0) do not belong in a CIDR');
  const halves = address.split('::');
  if (halves.length > 2) fail(text, '"::" may appear only once');
  const compressed = halves.length === 2;
  const head = parseHexGroups(text, halves[0] ?? '');
  const tail = compressed ? parseHexGroups(text, halves[1] ?? '') : [];
  // Only the very last group may be a dotted quad (RFC 4291 §2.2 form 3); it stands for two groups.
  const lastPart = compressed ? tail : head;
  const last = lastPart.at(-1);
  const embedded = last !== undefined && last.includes('.') ? parseIPv4Address(text, last) : undefined;
  if (embedded !== undefined) lastPart.pop();
  for (const group of [...head, ...tail]) {
    if (group.includes('.')) fail(text, 'an embedded IPv4 address must be the last part');
    if (!HEX_GROUP.test(group)) fail(text, `group ${JSON.stringify(group)} is not 1-4 hex digits`);
  }
  const groupCount = head.length + tail.length + (embedded === undefined ? 0 : 2);
  if (compressed && groupCount > 7) fail(text, `"::" must stand for at least one group, but ${groupCount} are given`);
  if (!compressed && groupCount !== 8) fail(text, `an IPv6 address has 8 groups, found ${groupCount}`);
  let value = 0n;
  for (const group of head) value = (value << 16n) | BigInt(parseInt(group, 16));
  value <<= BigInt(16 * (8 - groupCount));
  for (const group of tail) value = (value << 16n) | BigInt(parseInt(group, 16));
  if (embedded !== undefined) value = (value << 32n) | embedded;
  return value;
}

/** IPv4 dotted decimal of a 32-bit integer. */
export function formatIPv4(value: bigint): string {
  const n = Number(value);
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952 text of a 128-bit integer: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
export function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952 §5: IPv4-mapped addresses (::ffff:0:0/96) are written with the dotted quad.
  if (value >> 32n === 0xffffn) return `::ffff:${formatIPv4(value & 0xffffffffn)}`;
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * Reads `address/prefix`. Strict: a prefix is required; no whitespace, zone ids or leading zeros in
 * IPv4 octets. Host bits are cleared (10.0.0.1/16 → 10.0.0.0/16; see `isCanonicalCidr`). An
 * IPv4-mapped IPv6 range (::ffff:10.0.0.0/104) stays IPv6: clouds route the two families separately.
 */
export function parseCidr(text: string): Cidr {
  const cached = typeof text === 'string' ? parsed.get(text) : undefined;
  if (cached) return cached;
  const cidr = parseUncached(text);
  // Bounded memo: an estate repeats the same ranges in many route tables (10k networks ≈ 200k route destinations).
  if (parsed.size >= PARSE_CACHE_LIMIT) parsed.clear();
  parsed.set(text, cidr);
  return cidr;
}

const PARSE_CACHE_LIMIT = 500_000;
const parsed = new Map<string, Cidr>();

function parseUncached(text: string): Cidr {
  if (typeof text !== 'string') fail(String(text), 'not a string');
  if (/\s/.test(text)) fail(text, 'whitespace is not part of a CIDR');
  const slash = text.indexOf('/');
  if (slash < 0) fail(text, 'missing "/prefix"');
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const version: 4 | 6 = address.includes(':') ? 6 : 4;
  const bits = BITS[version];
  if (!PREFIX.test(prefixText)) fail(text, `prefix ${JSON.stringify(prefixText)} is not a decimal 0-${bits}`);
  const prefix = Number(prefixText);
  if (prefix > bits) fail(text, `prefix /${prefix} is longer than ${bits} bits`);
  if (address === '') fail(text, 'missing address');
  const value = version === 4 ? parseIPv4Address(text, address) : parseIPv6Address(text, address);
  const hostBits = BigInt(bits - prefix);
  const start = (value >> hostBits) << hostBits;
  const end = start + (1n << hostBits) - 1n;
  const formatted = version === 4 ? formatIPv4(start) : formatIPv6(start);
  return Object.freeze({ version, start, end, prefix, text: `${formatted}/${prefix}` });
}

/** `parseCidr`, or undefined for text that is not a CIDR. */
export function tryParseCidr(text: string): Cidr | undefined {
  // A prefix is required: text without '/' (a prefix list, a service tag) is answered without a throw (about a fifth
  // of the planner's CPU on estates with gateway endpoints went to building and catching those errors).
  if (typeof text !== 'string' || !text.includes('/')) return undefined;
  try {
    return parseCidr(text);
  } catch (error) {
    if (error instanceof CidrError) return undefined;
    throw error;
  }
}

/** The normalized text of a CIDR (host bits cleared, RFC 5952 for IPv6); throws CidrError. */
export function normalizeCidr(text: string): string {
  return parseCidr(text).text;
}

/** True when `text` is a CIDR already in normalized form: no host bits set and written as `normalizeCidr` writes it. */
export function isCanonicalCidr(text: string): boolean {
  return tryParseCidr(text)?.text === text;
}

/** True when `text` is a valid IPv6 CIDR (false for IPv4 and for invalid text): AWS routes the families in separate fields. */
export function isIPv6Cidr(text: string): boolean {
  return tryParseCidr(text)?.version === 6;
}

/** Accepts either form, so callers can pass what they hold. */
export function toCidr(value: string | Cidr): Cidr {
  return typeof value === 'string' ? parseCidr(value) : value;
}
