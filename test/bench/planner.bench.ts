import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { writeEstateFile } from '../../shared/cli/estate-stream';
import { readEstate } from '../../shared/cli/io';
import { planScope } from '../../shared/planner';
import { PolicySchema } from '../../shared/policy/schema';
import { generateEstate } from './estate-generator';

/** GC pause time reported by V8 while `f` runs (the observer reports asynchronously, hence the await). */
async function withGc<T>(f: () => T): Promise<{ value: T; gcMs: number }> {
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const value = f();
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  return { value, gcMs };
}

/** CPU milliseconds (user + system) of `f`: the machine is shared, so wall time alone says little. */
function cpuMs(f: () => void): { wallMs: number; cpuMs: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  f();
  const used = process.cpuUsage(c);
  return { wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

/** JSON.parse of the snapshot's text, best of `runs`, CPU ms: the yardstick the plan is judged against. */
export function measureParse(size: number, runs = 3): number {
  const text = JSON.stringify(generateEstate(size).estate);
  let best = Infinity;
  for (let r = 0; r < runs; r++) best = Math.min(best, cpuMs(() => JSON.parse(text)).cpuMs);
  return Math.round(best);
}

/**
 * One measurement, as `plan --estate` runs it: the snapshot file is read streamed and validated (no 400 MiB string),
 * then planned (best of `runs`, CPU ms) with its GC share; this process's peak RSS is the reader's and the planner's.
 */
export async function measurePlan(
  file: string,
  policyFile: string,
  runs = 3,
): Promise<Record<string, number | string | boolean>> {
  const readCpu = process.cpuUsage();
  const observation = readEstate(file);
  const readUsage = process.cpuUsage(readCpu);
  const readMs = (readUsage.user + readUsage.system) / 1000;
  const policy = PolicySchema.parse(JSON.parse(readFileSync(policyFile, 'utf8')));
  let best = { wallMs: Infinity, cpuMs: Infinity, gcMs: 0 };
  let actions = 0;
  // `plan --estate` plans once: the peak RSS is taken after the first run (later runs only refine the time, and
  // their garbage on top of the first's is no part of the command's footprint).
  let peakRssMiB = 0;
  for (let r = 0; r < runs; r++) {
    const { value, gcMs } = await withGc(() =>
      cpuMs(() => {
        actions = planScope({ policy, observation, now: new Date(observation.observedAt) }).actions.length;
      }),
    );
    if (r === 0) peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    if (value.cpuMs < best.cpuMs) best = { ...value, gcMs };
  }
  return {
    networks: observation.networks.length,
    routeTables: observation.networks.reduce((n, x) => n + x.routeTables.length, 0),
    peerings: observation.peerings.length,
    actions,
    readMs: Math.round(readMs),
    planMs: Math.round(best.cpuMs),
    planWallMs: Math.round(best.wallMs),
    gcMs: Math.round(best.gcMs),
    gcShare: Number((best.gcMs / best.wallMs).toFixed(2)),
    peakRssMiB,
  };
}

/** Runs `mode` of this file in a fresh process (a clean peak RSS each) and returns its JSON line. */
function child(args: readonly string[]): Record<string, number | string | boolean> {
  const run = spawnSync(process.execPath, [...process.execArgv, '--max-old-space-size=6144', __filename, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`planner bench ${args.join(' ')} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, number | string | boolean>;
}

/** One row: the snapshot written streamed here, planned in one child, JSON.parse timed in another. */
function planRow(size: number, dir: string): Record<string, number | string | boolean> {
  const { estate, policy } = generateEstate(size);
  const file = join(dir, `estate-${size}.json`);
  const policyFile = join(dir, `policy-${size}.json`);
  writeEstateFile(file, estate);
  writeFileSync(policyFile, JSON.stringify(policy));
  const planned = child(['plan', file, policyFile]);
  const parseMs = Number(child(['parse', String(size)]).parseMs);
  const ratio = Number((Number(planned.planMs) / parseMs).toFixed(2));
  const row = { name: `plan-${size}`, ...planned, parseMs, ratio };
  // Issue 13: 100k networks plan in ≤ 2× JSON.parse of the same snapshot within 2 GiB; 10k as before (issue 8).
  if (size < 100_000) return row;
  const pass = ratio <= 2 && Number(planned.peakRssMiB) <= 2048 && Number(planned.gcShare) < 0.25;
  return { ...row, target: 'plan ≤ 2× JSON.parse, RSS ≤ 2048 MiB, GC share < 0.25', pass };
}

/**
 * Runs each size in a fresh process (a clean peak RSS each) and checks growth within n log n: 1k→10k (issue 8)
 * and 10k→100k (issue 13), on CPU time.
 */
export function benchPlanner(sizes = [1000, 10_000, 50_000, 100_000]): Record<string, number | string | boolean>[] {
  const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-plan-bench-'));
  let rows: Record<string, number | string | boolean>[];
  try {
    rows = sizes.map((size) => planRow(size, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bySize = new Map(rows.map((r) => [Number(r.networks), r]));
  const growth = (from: number, to: number) => {
    const a = bySize.get(from);
    const b = bySize.get(to);
    if (!a || !b) return [];
    const ratio = Number(b.planMs) / Math.max(1, Number(a.planMs));
    const nlogn = (to * Math.log2(to)) / (from * Math.log2(from));
    return [
      {
        name: `plan-growth-${from / 1000}k-to-${to / 1000}k`,
        growth: Number(ratio.toFixed(2)),
        nlognBound: Number(nlogn.toFixed(2)),
        withinNlogN: ratio <= nlogn,
        target: 'growth ≤ n log n ratio',
      },
    ];
  };
  return [...rows, ...growth(1000, 10_000), ...growth(10_000, 100_000)];
}

if (require.main === module) {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === 'plan') void measurePlan(a!, b!).then((row) => console.log(JSON.stringify(row)));
  else if (mode === 'parse') console.log(JSON.stringify({ parseMs: measureParse(Number(a)) }));
  else for (const row of benchPlanner()) console.log(JSON.stringify(row));
}
