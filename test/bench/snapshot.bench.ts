import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeEstateFile } from '../../shared/cli/estate-stream';
import { readEstate } from '../../shared/cli/io';
import { runCli } from '../../shared/cli/main';
import { generateEstate } from './estate-generator';

const MiB = 1024 * 1024;
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Runs one mode of this file in a fresh process (a clean peak RSS) and returns its JSON line. */
function child(args: readonly string[]): Record<string, number | string | boolean> {
  const run = spawnSync(process.execPath, [...process.execArgv, '--max-old-space-size=16384', __filename, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0)
    throw new Error(`snapshot bench ${args.join(' ')} failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, number | string | boolean>;
}

/** Child: generate an estate of `size` networks and write it streamed (the layout `snapshot --out` writes). */
function write(size: number, file: string, policyFile: string): object {
  const { estate, policy } = generateEstate(size);
  writeFileSync(policyFile, JSON.stringify(policy));
  const t = performance.now();
  writeEstateFile(file, estate);
  return { writeMs: Math.round(performance.now() - t), writeRssMiB: peakRssMiB() };
}

/** Child: read and validate the snapshot as `--estate` does (streamed, schema, estate checks). */
function read(file: string): object {
  const t = performance.now();
  const estate = readEstate(file);
  return { readMs: Math.round(performance.now() - t), readRssMiB: peakRssMiB(), networksRead: estate.networks.length };
}

/** Child: the whole `peerkeeper plan --estate F --policy P` (exit 2: the generated estate has 1 % drift to plan). */
async function plan(file: string, policyFile: string): Promise<object> {
  const t = performance.now();
  let lines = 0;
  const code = await runCli(
    ['plan', '--estate', file, '--policy', policyFile, '--state-dir', join(file, '..', 'state')],
    {
      out: (text) => {
        lines += text.split('\n').length;
      },
      err: () => undefined,
      color: false,
    },
  );
  return {
    planCliMs: Math.round(performance.now() - t),
    planCliRssMiB: peakRssMiB(),
    exitCode: code,
    planLines: lines,
  };
}

/**
 * Snapshot files past the size one JSON string can hold (~125k networks of this shape): written and read streamed,
 * then planned through `plan --estate`. 150k by default; PEERKEEPER_BENCH_NETWORKS=1000000 for the 1M run (no
 * target: time and RSS reported; it needs ~4 GiB of disk and tens of GiB of memory for the plan).
 */
export function benchSnapshot(
  sizes = [Number(process.env.PEERKEEPER_BENCH_NETWORKS ?? 150_000)],
): Record<string, number | string | boolean>[] {
  return sizes.map((size) => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-snapshot-bench-'));
    try {
      const file = join(dir, 'estate.json');
      const policyFile = join(dir, 'policy.json');
      const written = child(['write', String(size), file, policyFile]);
      const fileMiB = Math.round(statSync(file).size / MiB);
      const readBack = child(['read', file]);
      const planned = child(['plan', file, policyFile]);
      const pass = readBack.networksRead === size && (planned.exitCode === 0 || planned.exitCode === 2);
      return {
        name: `snapshot-${size}`,
        networks: size,
        fileMiB,
        ...written,
        ...readBack,
        ...planned,
        target: 'written, read and planned with no string-length error (time and RSS reported)',
        pass,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

if (require.main === module) {
  const [mode, a, b, c] = process.argv.slice(2);
  const done = (row: object) => console.log(JSON.stringify(row));
  if (mode === 'write') done(write(Number(a), b!, c!));
  else if (mode === 'read') done(read(a!));
  else if (mode === 'plan') void plan(a!, b!).then(done);
  else for (const row of benchSnapshot()) done(row);
}
