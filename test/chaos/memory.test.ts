import { KNOWN_ISSUES, type Violation } from './invariants';
import { memoryScenario } from './memory-target';
import { runScenario, FAULT_KINDS, type FaultKind } from './scenario';
import { chaosSeeds, reproduction } from './seeds';

// 500 seeds by default (issues 8 and 12); each is ~20–40 reconciles over the in-memory cloud: odd seeds a ≤6-network
// estate, even seeds a real-world one of up to ~15 networks in two regions (~30 s of CPU for 500 seeds).
const SEEDS = chaosSeeds(500);
const FILE = 'test/chaos/memory.test.ts';

const line = (seed: number, vs: readonly Violation[]) =>
  `seed ${seed}: ${vs.map((v) => `[${v.invariant}${v.known ? ` KNOWN ${v.known}` : ''}] ${v.detail}`).join(' | ')}\n  reproduce: ${reproduction(seed, FILE)}`;

describe('chaos over the in-memory cloud', () => {
  const known = new Map<string, number[]>();

  it(`keeps every invariant on ${SEEDS.length} seeded scenarios (events dropped, duplicated, reordered; faults; concurrency; crashes)`, async () => {
    const failures: string[] = [];
    const faultsSeen = new Map<FaultKind, number>();
    let writes = 0;
    let reconciles = 0;
    let partialWrites = 0;
    let transitWrites = 0;
    for (const seed of SEEDS) {
      const outcome = await runScenario(memoryScenario(seed));
      writes += outcome.writes;
      reconciles += outcome.reconciles;
      partialWrites += outcome.partialWrites;
      transitWrites += outcome.transitWrites;
      for (const [k, n] of Object.entries(outcome.faults))
        faultsSeen.set(k as FaultKind, (faultsSeen.get(k as FaultKind) ?? 0) + n);
      const fresh = outcome.violations.filter((v) => !v.known);
      if (fresh.length > 0) failures.push(line(seed, outcome.violations));
      for (const v of outcome.violations)
        if (v.known) known.set(v.known, [...new Set([...(known.get(v.known) ?? []), seed])]);
    }
    if (failures.length > 0) console.error(`${failures.length} failing seeds:\n${failures.slice(0, 20).join('\n')}`);
    expect(failures).toEqual([]);
    // Not vacuous: the scenarios changed the clouds and exercised every fault.
    expect(writes).toBeGreaterThan(0);
    expect(reconciles).toBeGreaterThan(SEEDS.length);
    // …and some reconciles wrote from a partial read, so held-not-executed had writes to replay.
    if (SEEDS.length >= 100) expect(partialWrites).toBeGreaterThan(0);
    // …and transit links were attached, accepted, rejected or put back (issue 17).
    if (SEEDS.length >= 100) expect(transitWrites).toBeGreaterThan(SEEDS.length / 10);
    if (SEEDS.length >= 100) for (const kind of FAULT_KINDS) expect(faultsSeen.get(kind) ?? 0).toBeGreaterThan(0);
  });

  it('lists the seeds that hit known, reported bugs (they do not fail the suite until fixed)', () => {
    for (const [issue, seeds] of known) {
      console.warn(
        `KNOWN ${issue} (${KNOWN_ISSUES[issue as keyof typeof KNOWN_ISSUES]}): ${seeds.length} of ${SEEDS.length} seeds, e.g. ${seeds
          .slice(0, 5)
          .map((s) => reproduction(s, FILE))
          .join(' ; ')}`,
      );
    }
    expect([...known.keys()].every((k) => k in KNOWN_ISSUES)).toBe(true);
  });
});
