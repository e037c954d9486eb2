/**
 * The emulator's own CIDR arithmetic. Deliberately independent of shared/cidr so the emulator and the
 * adapter cannot agree on a mistake (DESIGN §9).
 */

interface Range { v6: boolean; first: bigint; last: bigint }

function parseV4(address: string): bigint | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseV6(address: string): bigint | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
}

/** Parses `a.b.c.d/n` or an IPv6 prefix; undefined when malformed (ARM answers 400). */
export function parsePrefix(prefix: string): Range | undefined {
  const [address, lengthText, extra] = prefix.split('/');
  if (address === undefined || lengthText === undefined || extra !== undefined || !/^\d{1,3}$/.test(lengthText)) return undefined;
  const v6 = address.includes(':');
  const bits = v6 ? 128n : 32n;
  const length = BigInt(lengthText);
  if (length > bits) return undefined;
  const value = v6 ? parseV6(address) : parseV4(address);
  if (value === undefined) return undefined;
  const hostBits = bits - length;
  const first = (value >> hostBits) << hostBits;
  return { v6, first, last: first + (1n << hostBits) - 1n };
}

/** The first pair of overlapping prefixes between two address spaces, if any. */
export function firstOverlap(a: readonly string[], b: readonly string[]): [string, string] | undefined {
  for (const left of a) {
    const l = parsePrefix(left);
    if (!l) continue;
    for (const right of b) {
      const r = parsePrefix(right);
      if (r && r.v6 === l.v6 && l.first <= r.last && r.first <= l.last) return [left, right];
    }
  }
  return undefined;
}
