import fc from 'fast-check';
import { tryParseCidr } from '../../shared/cidr';
import { isCanonicalIPv4 } from '../../shared/planner/route-families';

/** The planner skips the parse for a destination `isCanonicalIPv4` accepts: it must be exactly the parser's own text. */
describe('isCanonicalIPv4', () => {
  const parsedAsItself = (text: string) => tryParseCidr(text)?.version === 4 && tryParseCidr(text)?.text === text;

  it.each([
    ['0.0.0.0/0', true],
    ['10.0.0.0/8', true],
    ['192.168.1.128/25', true],
    ['255.255.255.255/32', true],
    ['10.0.0.1/8', false], // host bits set
    ['010.0.0.0/8', false], // leading zero
    ['10.0.0.0/08', false],
    ['256.0.0.0/8', false],
    ['1.2.3/24', false],
    ['1.2.3.4.5/8', false],
    ['1.2.3.4/33', false],
    ['1.2.3.4', false],
    [' 1.2.3.0/24', false],
    ['1.2.3.0/24 ', false],
    ['::/0', false],
    ['pl-123', false],
  ])('%s → %s', (text, want) => {
    expect(isCanonicalIPv4(text)).toBe(want);
    expect(parsedAsItself(text)).toBe(want);
  });

  it('agrees with the parser on generated text', () => {
    const octet = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.constantFrom('00', '01', '007', '1000', ''),
    );
    const prefix = fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('00', '08', '', '-1'));
    const text = fc.tuple(octet, octet, octet, octet, prefix).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`);
    fc.assert(
      fc.property(text, (t) => isCanonicalIPv4(t) === parsedAsItself(t)),
      { numRuns: 20_000 },
    );
  });

  it('accepts every masked address', () => {
    const masked = fc.tuple(fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 })).map(([a, p]) => {
      const m = p === 0 ? 0 : a - (a % 2 ** (32 - p));
      return `${Math.floor(m / 2 ** 24) % 256}.${Math.floor(m / 2 ** 16) % 256}.${Math.floor(m / 256) % 256}.${m % 256}/${p}`;
    });
    fc.assert(
      fc.property(masked, (t) => isCanonicalIPv4(t) && parsedAsItself(t)),
      { numRuns: 20_000 },
    );
  });
});
