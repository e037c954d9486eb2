import { type Cidr, toCidr } from './parse';

/** True when `inner` lies entirely inside `outer` (equal ranges contain each other). */
export function cidrContains(outer: string | Cidr, inner: string | Cidr): boolean {
  const o = toCidr(outer);
  const i = toCidr(inner);
  return o.version === i.version && o.start <= i.start && i.end <= o.end;
}

/** True when the ranges share an address. IPv4 and IPv6 never overlap. */
export function cidrsOverlap(a: string | Cidr, b: string | Cidr): boolean {
  const x = toCidr(a);
  const y = toCidr(b);
  return x.version === y.version && x.start <= y.end && y.start <= x.end;
}

/** Sort order for sweeps: IPv4 before IPv6, then by start, then the wider range first. */
export function compareCidrs(a: Cidr, b: Cidr): number {
  if (a.version !== b.version) return a.version - b.version;
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  if (a.end !== b.end) return a.end > b.end ? -1 : 1;
  return 0;
}

/**
 * The first range of `a` that overlaps a range of `b`, as `[fromA, fromB]` (the texts as given), or
 * undefined. One sort and one sweep, O((n+m) log(n+m)): each side keeps the range reaching furthest
 * right among those started so far, and each newly started range is checked against the other side's.
 * Throws CidrError when any text is not a CIDR.
 */
export function findFirstOverlap(a: readonly string[], b: readonly string[]): [string, string] | undefined {
  // Most calls compare a network's one or two ranges with a few others and find nothing: a plain check of every pair
  // answers that without the sort's allocations (a planner makes ~500k of these calls at 100k networks). Any
  // overlap goes through the sweep below, so which pair is reported does not change.
  if (a.length > 0 && b.length > 0 && a.length * b.length <= 64) {
    let any = false;
    for (const x of a) {
      const cx = toCidr(x);
      for (const y of b)
        if (cidrsOverlap(cx, toCidr(y))) {
          any = true;
          break;
        }
      if (any) break;
    }
    if (!any) return undefined;
  }
  const entries = [
    ...a.map((text) => ({ text, cidr: toCidr(text), side: 0 as const })),
    ...b.map((text) => ({ text, cidr: toCidr(text), side: 1 as const })),
  ].sort((x, y) => compareCidrs(x.cidr, y.cidr));
  let version = 0;
  const reach: ({ text: string; end: bigint } | undefined)[] = [undefined, undefined];
  for (const entry of entries) {
    if (entry.cidr.version !== version) {
      version = entry.cidr.version;
      reach[0] = reach[1] = undefined;
    }
    const other = reach[1 - entry.side];
    if (other && other.end >= entry.cidr.start) {
      return entry.side === 0 ? [entry.text, other.text] : [other.text, entry.text];
    }
    const own = reach[entry.side];
    if (!own || entry.cidr.end > own.end) reach[entry.side] = { text: entry.text, end: entry.cidr.end };
  }
  return undefined;
}

/** One overlapping pair of `findOverlaps`: `aCidr` always contains `bCidr` (CIDR ranges nest or are disjoint). */
export interface CidrOverlap {
  a: string;
  b: string;
  aCidr: string;
  bCidr: string;
}

interface StackNode {
  cidr: Cidr;
  /** The items with exactly this range, by key, in input order. */
  byKey: Map<string, { cidr: string; key: string }[]>;
}

/**
 * Every overlapping pair of items with different keys, in O(n log n + k) for k pairs.
 *
 * Two CIDR ranges are either nested or disjoint, so after sorting (start ascending, wider first) the
 * ranges covering the current one form a chain: a stack. The stack holds one node per distinct range,
 * at most 33 (IPv4) or 129 (IPv6) deep because each nested range has a longer prefix; grouping a node's
 * items by key means every key visited yields at least one pair, so duplicates cost nothing extra.
 * Throws CidrError when any cidr is not a CIDR.
 */
export function findOverlaps(items: readonly { cidr: string; key: string }[]): CidrOverlap[] {
  const sorted = items
    .map((item, index) => ({ item, index, cidr: toCidr(item.cidr) }))
    .sort((x, y) => compareCidrs(x.cidr, y.cidr) || x.index - y.index);
  const pairs: CidrOverlap[] = [];
  const stack: StackNode[] = [];
  for (const { item, cidr } of sorted) {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!.cidr;
      if (top.version === cidr.version && top.end >= cidr.start) break;
      stack.pop();
    }
    for (const node of stack) {
      for (const [key, group] of node.byKey) {
        if (key === item.key) continue;
        for (const outer of group) pairs.push({ a: outer.key, b: item.key, aCidr: outer.cidr, bCidr: item.cidr });
      }
    }
    const top = stack[stack.length - 1];
    if (top && top.cidr.start === cidr.start && top.cidr.end === cidr.end) {
      const group = top.byKey.get(item.key);
      if (group) group.push(item);
      else top.byKey.set(item.key, [item]);
    } else {
      stack.push({ cidr, byKey: new Map([[item.key, [item]]]) });
    }
  }
  return pairs;
}

/** True when any two of the ranges overlap (duplicates count), O(n log n). Throws CidrError on bad text. */
export function hasInternalOverlap(cidrs: readonly (string | Cidr)[]): boolean {
  const sorted = cidrs.map(toCidr).sort(compareCidrs);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    // Sorted wider-first, so an overlap with any earlier range shows with the one just before.
    if (prev.version === cur.version && cur.start <= prev.end) return true;
  }
  return false;
}
