import { BlockList } from 'node:net';
import fc from 'fast-check';
import {
  CidrError,
  cidrContains,
  cidrsOverlap,
  findFirstOverlap,
  findOverlaps,
  formatIPv4,
  formatIPv6,
  hasInternalOverlap,
  parseCidr,
} from '../../shared/cidr';

// Small address spaces (10.0.0.0/16 with /16-/24, fd00::/120 with /120-/128) so that overlaps are common.
const v4 = fc
  .record({ offset: fc.nat(0xffff), prefix: fc.integer({ min: 16, max: 24 }) })
  .map(({ offset, prefix }) => `${formatIPv4(0x0a000000n + BigInt(offset))}/${prefix}`);
const v6 = fc
  .record({ offset: fc.nat(0xff), prefix: fc.integer({ min: 120, max: 128 }) })
  .map(({ offset, prefix }) => `${formatIPv6((0xfdn << 120n) + BigInt(offset))}/${prefix}`);
const cidr = fc.oneof(v4, v6);

/** Brute force, written against start/end only. */
function overlapsByRange(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.version === y.version && !(x.end < y.start || y.end < x.start);
}

describe('cidrContains / cidrsOverlap', () => {
  const cases: Record<string, { reason: string; a: string; b: string; contains: boolean; overlaps: boolean }> = {
    nested: {
      reason: 'a subnet lies inside its VPC range',
      a: '10.0.0.0/16',
      b: '10.0.1.0/24',
      contains: true,
      overlaps: true,
    },
    reversed: {
      reason: 'the wider range is not inside the narrower',
      a: '10.0.1.0/24',
      b: '10.0.0.0/16',
      contains: false,
      overlaps: true,
    },
    equal: {
      reason: 'equal ranges contain each other',
      a: '10.0.0.0/16',
      b: '10.0.0.0/16',
      contains: true,
      overlaps: true,
    },
    adjacent: {
      reason: 'adjacent ranges share no address',
      a: '10.0.0.0/24',
      b: '10.0.1.0/24',
      contains: false,
      overlaps: false,
    },
    families: {
      reason: 'IPv4 and IPv6 never overlap, not even ::/0 and 0.0.0.0/0',
      a: '::/0',
      b: '0.0.0.0/0',
      contains: false,
      overlaps: false,
    },
    mapped: {
      reason: 'an IPv4-mapped IPv6 range is IPv6, so it does not overlap the IPv4 range',
      a: '::ffff:10.0.0.0/104',
      b: '10.0.0.0/8',
      contains: false,
      overlaps: false,
    },
    v6nested: {
      reason: 'an AWS /56 holds its /64 subnets',
      a: '2600:1f18:7:8800::/56',
      b: '2600:1f18:7:88ff::/64',
      contains: true,
      overlaps: true,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { a, b, contains, overlaps }) => {
    expect(cidrContains(a, b)).toBe(contains);
    expect(cidrsOverlap(a, b)).toBe(overlaps);
    expect(cidrsOverlap(parseCidr(a), parseCidr(b))).toBe(overlaps);
  });

  it('contains agrees with node:net BlockList on both ends of the inner range', () => {
    fc.assert(
      fc.property(cidr, cidr, (outer, inner) => {
        const o = parseCidr(outer);
        const i = parseCidr(inner);
        const family = o.version === 4 ? 'ipv4' : 'ipv6';
        const list = new BlockList();
        list.addSubnet(outer.split('/')[0]!, o.prefix, family);
        const format = i.version === 4 ? formatIPv4 : formatIPv6;
        const inside =
          i.version === o.version && list.check(format(i.start), family) && list.check(format(i.end), family);
        expect(cidrContains(outer, inner)).toBe(inside);
      }),
      { numRuns: 2000 },
    );
  });

  it('overlap is symmetric and equals containment one way or the other (ranges nest or are disjoint)', () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        expect(cidrsOverlap(a, b)).toBe(cidrsOverlap(b, a));
        expect(cidrsOverlap(a, b)).toBe(cidrContains(a, b) || cidrContains(b, a));
        expect(cidrsOverlap(a, b)).toBe(overlapsByRange(a, b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('findFirstOverlap', () => {
  it('returns the texts as given, from a then from b', () => {
    expect(findFirstOverlap(['10.0.0.0/16', '192.168.0.0/24'], ['172.16.0.0/12', '192.168.0.128/25'])).toEqual([
      '192.168.0.0/24',
      '192.168.0.128/25',
    ]);
    expect(findFirstOverlap(['10.0.0.0/16'], ['10.1.0.0/16', '2600::/64'])).toBeUndefined();
    expect(findFirstOverlap([], ['10.0.0.0/8'])).toBeUndefined();
  });

  it('does not count an overlap inside one side', () => {
    expect(findFirstOverlap(['10.0.0.0/8', '10.1.0.0/16'], ['192.168.0.0/16'])).toBeUndefined();
  });

  it('throws CidrError on bad text', () => {
    expect(() => findFirstOverlap(['10.0.0.0/8'], ['bogus'])).toThrow(CidrError);
  });

  it('finds an overlap exactly when the O(n·m) check does, and the pair it returns overlaps', () => {
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 12 }), fc.array(cidr, { maxLength: 12 }), (a, b) => {
        const any = a.some((x) => b.some((y) => overlapsByRange(x, y)));
        const found = findFirstOverlap(a, b);
        expect(found !== undefined).toBe(any);
        if (found) {
          expect(a).toContain(found[0]);
          expect(b).toContain(found[1]);
          expect(overlapsByRange(found[0], found[1])).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('findOverlaps', () => {
  it('reports each cross-key pair once, the containing range as a', () => {
    const pairs = findOverlaps([
      { cidr: '10.1.0.0/16', key: 'spoke' },
      { cidr: '10.0.0.0/8', key: 'hub' },
      { cidr: '10.0.0.0/8', key: 'hub' },
      { cidr: '10.1.2.0/24', key: 'spoke' },
      { cidr: '2600:1f18::/56', key: 'hub' },
      { cidr: '2600:1f18:0:1::/64', key: 'other' },
    ]);
    expect(pairs).toEqual([
      { a: 'hub', b: 'spoke', aCidr: '10.0.0.0/8', bCidr: '10.1.0.0/16' },
      { a: 'hub', b: 'spoke', aCidr: '10.0.0.0/8', bCidr: '10.1.0.0/16' },
      { a: 'hub', b: 'spoke', aCidr: '10.0.0.0/8', bCidr: '10.1.2.0/24' },
      { a: 'hub', b: 'spoke', aCidr: '10.0.0.0/8', bCidr: '10.1.2.0/24' },
      { a: 'hub', b: 'other', aCidr: '2600:1f18::/56', bCidr: '2600:1f18:0:1::/64' },
    ]);
  });

  it('matches the O(n²) pair list (as a multiset, up to orientation)', () => {
    const item = fc.record({ cidr, key: fc.constantFrom('a', 'b', 'c') });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 25 }), (items) => {
        const want: string[] = [];
        for (let i = 0; i < items.length; i++) {
          for (let j = i + 1; j < items.length; j++) {
            const x = items[i]!;
            const y = items[j]!;
            if (x.key !== y.key && overlapsByRange(x.cidr, y.cidr))
              want.push([`${x.key}=${x.cidr}`, `${y.key}=${y.cidr}`].sort().join(' '));
          }
        }
        const got = findOverlaps(items);
        for (const p of got) expect(cidrContains(p.aCidr, p.bCidr)).toBe(true);
        expect(got.map((p) => [`${p.a}=${p.aCidr}`, `${p.b}=${p.bCidr}`].sort().join(' ')).sort()).toEqual(want.sort());
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hasInternalOverlap', () => {
  it('counts duplicates and nesting, not adjacency or other families', () => {
    expect(hasInternalOverlap(['10.0.0.0/24', '10.0.1.0/24', '::/0'])).toBe(false);
    expect(hasInternalOverlap(['10.0.0.0/24', '10.0.0.0/24'])).toBe(true);
    expect(hasInternalOverlap(['10.0.0.0/16', '192.168.0.0/16', '10.0.200.0/24'])).toBe(true);
    expect(hasInternalOverlap([])).toBe(false);
  });

  it('agrees with the O(n²) check', () => {
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 20 }), (list) => {
        const any = list.some((x, i) => list.some((y, j) => i < j && overlapsByRange(x, y)));
        expect(hasInternalOverlap(list)).toBe(any);
      }),
      { numRuns: 1000 },
    );
  });
});
