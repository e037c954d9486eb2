import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { planScope } from '../../shared/planner';
import { PolicySchema } from '../../shared/policy/schema';
import { EstateSchema } from '../../shared/model';
import { generateEstate } from './estate-generator';

/** One measurement, run in this process: plan time, JSON.parse time, and this process's peak RSS. */
export function measurePlan(size: number): Record<string, number | string | boolean> {
  const { estate, policy } = generateEstate(size);
  const text = JSON.stringify(estate);
  const parsedPolicy = PolicySchema.parse(policy);
  const best = (f: () => void, runs: number) => {
    let min = Infinity;
    for (let r = 0; r < runs; r++) { const t = performance.now(); f(); min = Math.min(min, performance.now() - t); }
    return min;
  };
  const parseMs = best(() => JSON.parse(text), 3);
  const observation = EstateSchema.parse(JSON.parse(text));
  let actions = 0;
  const planMs = best(() => { actions = planScope({ policy: parsedPolicy, observation, now: new Date(estate.observedAt) }).actions.length; }, 3);
  return {
    name: `plan-${size}`, networks: size, routeTables: estate.networks.reduce((s, n) => s + n.routeTables.length, 0), peerings: estate.peerings.length,
    actions, planMs: Math.round(planMs), parseMs: Math.round(parseMs), ratio: Number((planMs / parseMs).toFixed(2)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), target: 'plan < 2000 ms and RSS < 1024 MiB at 10k; plan ≤ 5× JSON.parse',
  };
}

/** Runs each size in a fresh process (a clean peak RSS each) and checks n log n growth from 1k to 10k. */
export function benchPlanner(sizes = [1000, 5000, 10000]): Record<string, number | string | boolean>[] {
  const rows = sizes.map((size) => {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`planner bench ${size} failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number | string | boolean>;
  });
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const n0 = Number(first.networks);
  const n1 = Number(last.networks);
  const growth = Number(last.planMs) / Math.max(1, Number(first.planMs));
  const nlogn = (n1 * Math.log2(n1)) / (n0 * Math.log2(n0));
  rows.push({ name: 'plan-growth-1k-to-10k', growth: Number(growth.toFixed(2)), nlognBound: Number(nlogn.toFixed(2)), withinNlogN: growth <= nlogn, target: 'growth ≤ n log n ratio' });
  return rows;
}

if (require.main === module) {
  const size = Number(process.argv[2]);
  if (size > 0) console.log(JSON.stringify(measurePlan(size)));
  else for (const row of benchPlanner()) console.log(JSON.stringify(row));
}
