/**
 * Just enough CIDR math for the three emulators (overlap and equality), written independently of shared/cidr
 * so that an emulator and the code under test cannot agree on the same mistake.
 */

/** One parsed range: family and first/last address. */
export interface Range {
  v6: boolean;
  first: bigint;
  last: bigint;
}

function parseV4(ip: string): bigint | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(p));
  }
  return value;
}

function parseV6(ip: string): bigint | undefined {
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

/** Parses `a.b.c.d/n` or `x:y::/n`; undefined when malformed. */
export function parseRange(cidr: string): Range | undefined {
  const [ip, len, extra] = cidr.split('/');
  if (ip === undefined || len === undefined || extra !== undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const v6 = ip.includes(':');
  const bits = v6 ? 128n : 32n;
  const prefix = BigInt(Number(len));
  if (prefix > bits) return undefined;
  const addr = v6 ? parseV6(ip) : parseV4(ip);
  if (addr === undefined) return undefined;
  const hostMask = (1n << (bits - prefix)) - 1n;
  const first = addr & ~hostMask & ((1n << bits) - 1n);
  return { v6, first, last: first | hostMask };
}

/** True when two CIDRs of the same family share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const ra = parseRange(a);
  const rb = parseRange(b);
  if (!ra || !rb || ra.v6 !== rb.v6) return false;
  return ra.first <= rb.last && rb.first <= ra.last;
}

/** True when both strings name the same range (`10.0.0.0/16` and `10.0.0.1/16` do not: the second is not canonical). */
export function sameCidr(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The first pair of overlapping ranges between two address spaces, if any. */
export function firstOverlap(a: readonly string[], b: readonly string[]): [string, string] | undefined {
  for (const left of a) for (const right of b) if (cidrsOverlap(left, right)) return [left, right];
  return undefined;
}
