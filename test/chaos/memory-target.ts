import fc from 'fast-check';
import type { Policy } from '../../shared/policy/schema';
import { MemoryCloud, MemoryProvider } from '../../shared/providers/memory';
import { NOW } from '../support/estate-builder';
import { estateArb, policyArb } from '../support/random-estate';
import { VirtualClock } from './chaos-provider';
import { Prng } from './prng';
import type { ChaosTarget } from './scenario';

/** A seeded scenario's inputs over the in-memory cloud: estate and policy from the planner's arbitraries. */
export function memoryScenario(seed: number): { rng: Prng; policy: Policy; target: ChaosTarget; clock: VirtualClock; memory: MemoryCloud } {
  const rng = new Prng(seed);
  const [estate] = fc.sample(estateArb, { seed: rng.fork(), numRuns: 1 });
  const [base] = fc.sample(policyArb, { seed: rng.fork(), numRuns: 1 });
  // A third of the seeds cap changes per run low, so convergence needs several runs (blast-radius limit).
  const policy: Policy = { ...base!, limits: { maxChangesPerRun: rng.chance(0.3) ? rng.int(3, 6) : 1000 } };
  const clock = new VirtualClock(NOW.getTime());
  const memory = new MemoryCloud(estate!, clock.now);
  const target: ChaosTarget = {
    provider: new MemoryProvider('aws', memory),
    snapshot: async () => memory.snapshot(),
    throttleWrites: (n) => { memory.faults.throttleWrites = n; },
    failObserve: (account) => { memory.faults.failObserve.add(`aws:${account}`); },
    clearFaults: () => { memory.faults.throttleWrites = 0; memory.faults.failObserve.clear(); },
  };
  return { rng, policy, target, clock, memory };
}
