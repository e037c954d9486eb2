import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Estate } from '../../shared/model';
import { EstateSchema, isMutating } from '../../shared/model';
import { planScope } from '../../shared/planner';
import { PolicySchema } from '../../shared/policy/schema';
import type { Partition } from '../../shared/providers/port';
import { observeWithFaults, type ReadFault } from '../support/partial-reads';
import { actionKey } from '../support/plan-safety';
import { generateEstate } from './estate-generator';

/**
 * A 10k-network estate planned with 5 % of its accounts denying access (issue 12): how long the plan takes, how
 * many actions it holds, and how many of the mutating actions it still plans are not in the plan a full read
 * makes (unsafe: must be 0, the monotonicity oracle at scale).
 */
export function measurePartialPlan(size: number, share = 0.05): Record<string, number | string | boolean> {
  const { estate, policy } = generateEstate(size);
  const parsedPolicy = PolicySchema.parse(policy);
  const full: Estate = EstateSchema.parse(JSON.parse(JSON.stringify(estate)));
  const accounts = [...new Set(full.networks.map((n) => `${n.ref.cloud}:${n.ref.account}`))].sort();
  const step = Math.round(1 / share);
  const denied = accounts
    .filter((_, i) => i % step === step - 1)
    .map((key) => {
      const [cloud, account] = key.split(':') as [Partition['cloud'], string];
      return { cloud, account };
    });
  const faults: ReadFault[] = denied.map((partition) => ({ partition, call: 'AssumeRole', kind: 'AccessDenied' }));
  const governed: Partition[] = accounts.map((key) => {
    const [cloud, account] = key.split(':') as [Partition['cloud'], string];
    return { cloud, account };
  });
  const partial = observeWithFaults(full, faults, governed);
  const now = new Date(estate.observedAt);
  const fullPlan = planScope({ policy: parsedPolicy, observation: full, now });
  let planMs = Infinity;
  let plan = fullPlan;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    plan = planScope({ policy: parsedPolicy, observation: partial, now });
    planMs = Math.min(planMs, performance.now() - t);
  }
  const allowed = new Set(fullPlan.actions.filter(isMutating).map(actionKey));
  const unsafe = plan.actions.filter(isMutating).filter((a) => !allowed.has(actionKey(a))).length;
  return {
    name: `plan-partial-${size}`,
    networks: size,
    unreadAccounts: denied.length,
    accounts: accounts.length,
    planMs: Math.round(planMs),
    actions: plan.actions.filter(isMutating).length,
    held: plan.held.length,
    fullActions: allowed.size,
    unsafe,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    target: 'plan < 2000 ms at 10k with 5 % of accounts unreadable; held > 0; 0 unsafe actions',
  };
}

/** Runs in a fresh process for a clean peak RSS. */
export function benchPartialPlan(sizes = [10000]): Record<string, number | string | boolean>[] {
  return sizes.map((size) => {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, String(size)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`partial-plan bench ${size} failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number | string | boolean>;
  });
}

if (require.main === module) {
  const size = Number(process.argv[2] ?? 10000);
  console.log(JSON.stringify(measurePartialPlan(size > 0 ? size : 10000)));
}
