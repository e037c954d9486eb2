import { isIP } from 'node:net';
import fc from 'fast-check';
import { CidrError, isCanonicalCidr, isIPv6Cidr, normalizeCidr, parseCidr, tryParseCidr } from '../../shared/cidr';
import { TerminalError } from '../../shared/errors';

describe('parseCidr', () => {
  const good: Record<string, { reason: string; text: string; want: string; start?: bigint; end?: bigint }> = {
    v4: {
      reason: 'a plain VPC range parses to its first and last address',
      text: '10.0.0.0/16',
      want: '10.0.0.0/16',
      start: 0x0a000000n,
      end: 0x0a00ffffn,
    },
    hostBits: { reason: 'host bits are cleared, as EC2 reports the range', text: '10.0.0.1/16', want: '10.0.0.0/16' },
    v4Zero: { reason: '/0 covers the whole family', text: '0.0.0.0/0', want: '0.0.0.0/0', start: 0n, end: 0xffffffffn },
    v4Host: {
      reason: 'a /32 is one address',
      text: '192.168.1.7/32',
      want: '192.168.1.7/32',
      start: 0xc0a80107n,
      end: 0xc0a80107n,
    },
    v6Upper: {
      reason: 'uppercase hex and full groups compress to RFC 5952 text',
      text: '2600:1F18:0000:0000:0:0:0:0/56',
      want: '2600:1f18::/56',
    },
    v6AnyRoute: {
      reason: '"::" alone is the zero address',
      text: '::/0',
      want: '::/0',
      start: 0n,
      end: (1n << 128n) - 1n,
    },
    v6LongestRun: {
      reason: 'RFC 5952 §4.2.3: the longest zero run is compressed',
      text: '1:0:0:2:0:0:0:3/128',
      want: '1:0:0:2::3/128',
    },
    v6FirstRun: {
      reason: 'RFC 5952 §4.2.3: on a tie the first run is compressed',
      text: '1:0:0:2:3:0:0:4/128',
      want: '1::2:3:0:0:4/128',
    },
    v6SingleZero: {
      reason: 'RFC 5952 §4.2.2: one zero group is not compressed',
      text: '1::2:3:4:5:6:7/128',
      want: '1:0:2:3:4:5:6:7/128',
    },
    v6LeadingZeros: {
      reason: 'RFC 5952 §4.1: leading zeros in a group are dropped',
      text: '2001:0db8::0001/128',
      want: '2001:db8::1/128',
    },
    v6HostBits: { reason: 'IPv6 host bits are cleared too', text: 'fe80::1:0:0:0/64', want: 'fe80::/64' },
    v6TrailingCompression: {
      reason: '"::" at the end stands for the remaining groups',
      text: '2600:1f18:7:8::/64',
      want: '2600:1f18:7:8::/64',
    },
    v4Mapped: {
      reason: 'RFC 5952 §5: IPv4-mapped addresses keep the dotted quad, and stay IPv6',
      text: '0:0:0:0:0:FFFF:10.1.2.3/128',
      want: '::ffff:10.1.2.3/128',
    },
    v4Embedded: {
      reason: 'a dotted quad may end any IPv6 address (RFC 4291 §2.2)',
      text: '64:ff9b::10.0.0.0/120',
      want: '64:ff9b::a00:0/120',
    },
  };
  it.each(Object.entries(good))('%s', (_name, { text, want, start, end }) => {
    const cidr = parseCidr(text);
    expect(cidr.text).toBe(want);
    if (start !== undefined) expect(cidr.start).toBe(start);
    if (end !== undefined) expect(cidr.end).toBe(end);
  });

  const bad: Record<string, { reason: string; text: string; message: RegExp }> = {
    noPrefix: { reason: 'a bare address is not a range', text: '10.0.0.0', message: /missing "\/prefix"/ },
    leadingZeroOctet: {
      reason: '"010" is octal to inet_aton and decimal to AWS: ambiguous',
      text: '010.0.0.0/8',
      message: /octet "010"/,
    },
    octetTooBig: { reason: 'octets stop at 255', text: '10.256.0.0/16', message: /above 255/ },
    threeOctets: { reason: 'shorthand IPv4 (10.1/16) is refused', text: '10.1.0/16', message: /4 dotted octets/ },
    prefixTooLong: { reason: 'IPv4 has 32 bits', text: '1.2.3.4/33', message: /longer than 32/ },
    v6PrefixTooLong: { reason: 'IPv6 has 128 bits', text: '::/129', message: /longer than 128/ },
    prefixLeadingZero: { reason: 'prefixes are plain decimals', text: '10.0.0.0/08', message: /prefix "08"/ },
    emptyPrefix: { reason: 'a slash needs a number', text: '10.0.0.0/', message: /prefix ""/ },
    negativePrefix: { reason: 'no sign', text: '10.0.0.0/-1', message: /prefix "-1"/ },
    whitespace: { reason: 'whitespace is refused, not trimmed', text: ' 10.0.0.0/8', message: /whitespace/ },
    twoCompressions: { reason: 'two "::" would be ambiguous', text: '1::2::3/64', message: /only once/ },
    tripleColon: { reason: '":::" is not a form', text: '1:::2/64', message: /lone ":"/ },
    leadingSingleColon: {
      reason: 'a single leading colon drops a group',
      text: ':1:2:3:4:5:6:7/128',
      message: /lone ":"/,
    },
    nineGroups: { reason: 'eight groups at most', text: '1:2:3:4:5:6:7:8:9/128', message: /8 groups, found 9/ },
    sevenGroups: {
      reason: 'seven groups without "::" is short',
      text: '1:2:3:4:5:6:7/128',
      message: /8 groups, found 7/,
    },
    compressNothing: {
      reason: '"::" must stand for at least one group',
      text: '1::2:3:4:5:6:7:8/128',
      message: /at least one group/,
    },
    fiveHexDigits: { reason: 'a group is 16 bits', text: '12345::/16', message: /1-4 hex digits/ },
    notHex: { reason: 'g is not a hex digit', text: 'fg00::/8', message: /1-4 hex digits/ },
    embeddedNotLast: {
      reason: 'a dotted quad only ends an address',
      text: '1.2.3.4::/64',
      message: /must be the last part/,
    },
    embeddedBad: { reason: 'the embedded quad obeys IPv4 rules', text: '::ffff:1.2.3.04/128', message: /octet "04"/ },
    zone: {
      reason: 'zone ids are link-local interface names, not ranges',
      text: 'fe80::1%eth0/64',
      message: /zone ids/,
    },
    empty: { reason: 'empty text', text: '', message: /missing "\/prefix"/ },
    noAddress: { reason: 'a prefix alone is not a range', text: '/8', message: /missing address/ },
  };
  it.each(Object.entries(bad))('refuses %s', (_name, { text, message }) => {
    expect(() => parseCidr(text)).toThrow(CidrError);
    expect(() => parseCidr(text)).toThrow(message);
    expect(tryParseCidr(text)).toBeUndefined();
  });

  it('throws a terminal error, so bad input is dead-lettered and not retried', () => {
    const error = (() => {
      try {
        parseCidr('nope');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as CidrError).code).toBe('InvalidCidr');
  });
});

describe('isCanonicalCidr / isIPv6Cidr', () => {
  const cases: Record<string, { reason: string; text: string; canonical: boolean; v6: boolean }> = {
    canonicalV4: { reason: 'normalized v4', text: '10.0.0.0/16', canonical: true, v6: false },
    hostBits: {
      reason: 'host bits set is parseable but not canonical',
      text: '10.0.0.1/16',
      canonical: false,
      v6: false,
    },
    upperV6: { reason: 'uppercase is not RFC 5952', text: '2600:1F18::/56', canonical: false, v6: true },
    canonicalV6: { reason: 'normalized v6', text: '2600:1f18::/56', canonical: true, v6: true },
    invalid: { reason: 'invalid text is neither', text: 'fe80::1%eth0/64', canonical: false, v6: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { text, canonical, v6 }) => {
    expect(isCanonicalCidr(text)).toBe(canonical);
    expect(isIPv6Cidr(text)).toBe(v6);
  });
});

describe('parse properties', () => {
  const address = fc.oneof(fc.ipV4(), fc.ipV6());
  const cidrText = address.chain((a) =>
    fc.integer({ min: 0, max: a.includes(':') ? 128 : 32 }).map((p) => `${a}/${p}`),
  );

  it('normalize is idempotent and its output is canonical', () => {
    fc.assert(
      fc.property(cidrText, (text) => {
        const once = normalizeCidr(text);
        expect(normalizeCidr(once)).toBe(once);
        expect(isCanonicalCidr(once)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('the range is exactly 2^(bits - prefix) addresses, aligned to its size', () => {
    fc.assert(
      fc.property(cidrText, (text) => {
        const c = parseCidr(text);
        const size = 1n << BigInt((c.version === 4 ? 32 : 128) - c.prefix);
        expect(c.end - c.start + 1n).toBe(size);
        expect(c.start % size).toBe(0n);
      }),
      { numRuns: 2000 },
    );
  });

  // Differential against Node's own address validator (which allows zone ids; we refuse them).
  it('accepts exactly the addresses node:net accepts', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.:.:'.split(''));
    const noisy = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.string({ unit: chars, maxLength: 24 }),
      fc.ipV6().chain((a) => fc.nat(a.length).map((i) => a.slice(0, i) + a.slice(i + 1))),
    );
    fc.assert(
      fc.property(noisy, (a) => {
        const nodeSays = isIP(a) !== 0 && !a.includes('%');
        expect(tryParseCidr(`${a}/0`) !== undefined).toBe(nodeSays);
      }),
      { numRuns: 5000 },
    );
  });
});
