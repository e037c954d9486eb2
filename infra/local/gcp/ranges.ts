/**
 * Just enough CIDR math for the emulator's overlap refusal. The emulator keeps its own copy so it
 * cannot agree with shared/cidr on a mistake (bigint math; IPv4 and IPv6 never overlap each other).
 */
interface Range { v6: boolean; first: bigint; last: bigint }

function parseV4(addr: string): bigint | undefined {
  const parts = addr.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseV6(addr: string): bigint | undefined {
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

/** Parses `a.b.c.d/n` or `x:y::/n`; undefined when it is not a CIDR. */
export function parseRange(cidr: string): Range | undefined {
  const [addr, len] = cidr.split('/');
  if (addr === undefined || len === undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const v6 = addr.includes(':');
  const bits = v6 ? 128n : 32n;
  const prefix = BigInt(len);
  if (prefix > bits) return undefined;
  const value = v6 ? parseV6(addr) : parseV4(addr);
  if (value === undefined) return undefined;
  const hostMask = (1n << (bits - prefix)) - 1n;
  const first = value & ~hostMask & ((1n << bits) - 1n);
  return { v6, first, last: first | hostMask };
}

/** True when the two CIDRs share at least one address. */
export function rangesOverlap(a: string, b: string): boolean {
  const ra = parseRange(a);
  const rb = parseRange(b);
  if (!ra || !rb || ra.v6 !== rb.v6) return false;
  return ra.first <= rb.last && rb.first <= ra.last;
}
