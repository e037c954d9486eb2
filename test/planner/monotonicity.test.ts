import { planScope } from '../../shared/planner';
import { chaosSeeds, reproduction } from '../chaos/seeds';
import { judgeSeed, type Finding, type SeedStats } from '../support/monotonicity';

// 500 seeds by default (issue 12), 3 partial views each: ~2,000 plans of 4–14-network estates.
const SEEDS = chaosSeeds(500);
const FILE = 'test/planner/monotonicity.test.ts';

const findings: Finding[] = [];
const totals: SeedStats = {
  fullChanges: 0,
  partialChanges: 0,
  partialHeld: 0,
  partialViews: 0,
  transitChanges: 0,
  transitHeld: 0,
};

beforeAll(() => {
  for (const seed of SEEDS) {
    const judged = judgeSeed(seed, planScope);
    findings.push(...judged.findings);
    totals.fullChanges += judged.stats.fullChanges;
    totals.partialChanges += judged.stats.partialChanges;
    totals.partialViews += judged.stats.partialViews;
    totals.partialHeld += judged.stats.partialHeld;
    totals.transitChanges += judged.stats.transitChanges;
    totals.transitHeld += judged.stats.transitHeld;
  }
});

/** The first findings of one kind, one line each, with the command that reruns the seed. */
function report(kind: Finding['kind']): string[] {
  const mine = findings.filter((f) => f.kind === kind);
  const seeds = new Set(mine.map((f) => f.seed));
  if (mine.length > 0) {
    const lines = mine
      .slice(0, 15)
      .map((f) => `seed ${f.seed} [${f.view}] ${f.detail}\n  reproduce: ${reproduction(f.seed, FILE)}`);
    console.error(`${kind}: ${mine.length} findings on ${seeds.size} of ${SEEDS.length} seeds\n${lines.join('\n')}`);
  }
  return mine.map((f) => `seed ${f.seed} [${f.view}] ${f.detail}`);
}

describe(`the monotonicity oracle over ${SEEDS.length} real-world estates`, () => {
  it('never throws: the planner is total over every observation an adapter can produce', () => {
    expect(report('throws')).toEqual([]);
  });

  it('never acts on an unmanaged route or peering, accepts an unlisted or overlapping peer, or routes two overlapping links into one network', () => {
    expect(report('unsafe')).toEqual([]);
  });

  it('plans with failed or truncated reads only mutating actions that the plan with every read succeeding also plans', () => {
    expect(report('not-monotone')).toEqual([]);
  });

  it('holds nothing when every read succeeded', () => {
    expect(report('held-when-complete')).toEqual([]);
  });

  it('acts on nothing when the observation cannot say which partitions it missed', () => {
    expect(report('acted-blind')).toEqual([]);
  });

  it('is not vacuous: full plans change things, partial plans hold some and still make others', () => {
    expect(totals.partialViews).toBeGreaterThan(SEEDS.length);
    expect(totals.fullChanges).toBeGreaterThan(SEEDS.length);
    expect(totals.partialHeld).toBeGreaterThan(0);
    expect(totals.partialChanges).toBeGreaterThan(0);
  });

  it('is not vacuous for transit links: full plans attach, accept, reject and update; partial plans hold some (issue 17)', () => {
    if (SEEDS.length < 50) return; // one reproduced seed need not have transit
    expect(totals.transitChanges).toBeGreaterThan(SEEDS.length / 10);
    expect(totals.transitHeld).toBeGreaterThan(0);
  });
});
