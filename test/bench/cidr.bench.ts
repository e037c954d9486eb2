import { performance } from 'node:perf_hooks';
import { findOverlaps, formatIPv4, formatIPv6 } from '../../shared/cidr';

/**
 * An estate-shaped input of `count` prefixes, half IPv4 and half IPv6, two prefixes per network,
 * with 1 in 100 networks reusing another's range (the overlaps peerkeeper must catch). Seeded, so
 * every run measures the same data.
 */
export function estatePrefixes(count: number, seed = 42): { cidr: string; key: string }[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0; // Numerical Recipes LCG
    return state / 2 ** 32;
  };
  const items: { cidr: string; key: string }[] = [];
  for (let i = 0; i < count; i++) {
    const key = `net-${i >> 1}`;
    const slot = random() < 0.01 ? Math.floor(random() * i) : i;
    const cidr =
      i % 2 === 0
        ? `${formatIPv4(0x0a000000n + BigInt((slot >> 1) % 65536) * 256n)}/${24 + (slot % 3)}`
        : `${formatIPv6((0x26001f18n << 96n) + (BigInt(slot) << 72n))}/${56 + (slot % 9)}`;
    items.push({ cidr, key });
  }
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Times findOverlaps (parsing included) on 100k mixed prefixes; the bench runner prints the result. */
export async function benchCidr(): Promise<object[]> {
  const items = estatePrefixes(100_000);
  findOverlaps(items.slice(0, 5_000)); // warm the JIT so the figure is steady-state
  const started = performance.now();
  const pairs = findOverlaps(items);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  return [{ name: 'cidr-overlap-100k', ms, target: '< 1000 ms', prefixes: items.length, pairs: pairs.length }];
}
