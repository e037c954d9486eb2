import { emulatorScenario } from './emulator-target';
import { runScenario } from './scenario';
import { reproduction } from './seeds';

// Fewer seeds than the in-memory suite: every call is real HTTP + XML through the SDK (~0.3 s a seed).
const COUNT = Number(process.env.CHAOS_EMULATOR_SEEDS ?? 12);
const ONE = process.env.CHAOS_SEED;
const SEEDS = ONE ? [Number(ONE)] : Array.from({ length: COUNT }, (_, i) => 10_001 + i);
const FILE = 'test/chaos/emulator.test.ts';

describe('chaos over the EC2 emulator through the real AWS adapter', () => {
  it.each(SEEDS)('keeps every invariant on seed %i', async (seed) => {
    const scenario = await emulatorScenario(seed);
    try {
      const outcome = await runScenario({ ...scenario, maxEvents: 10 });
      const fresh = outcome.violations.filter((v) => !v.known);
      if (outcome.violations.length > 0) {
        console.warn(
          `seed ${seed}: ${outcome.violations.map((v) => `[${v.invariant}${v.known ? ` KNOWN ${v.known}` : ''}] ${v.detail}`).join(' | ')}\n  reproduce: ${reproduction(seed, FILE)}`,
        );
      }
      expect(fresh).toEqual([]);
      expect(outcome.reconciles).toBeGreaterThan(1);
    } finally {
      await scenario.close();
    }
  });
});
