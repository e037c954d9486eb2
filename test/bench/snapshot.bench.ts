import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeEstateFile } from '../../shared/cli/estate-stream';
import { readEstate } from '../../shared/cli/io';
import { runCli } from '../../shared/cli/main';
import { GENERATED_OBSERVED_AT, generateEstate, generateEstateParts } from './estate-generator';

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

/**
 * Child: generate an estate of `size` networks straight into the snapshot layout `writeEstateFile` writes, byte for
 * byte, never holding it (networks in one pass, peerings in a second: at most one hub-spoke group in memory). A
 * 1M-network estate is ~7 GiB as objects; this writes its 4 GiB file in bounded memory.
 */
export function writeGenerated(size: number, file: string, policyFile: string): object {
  const t = performance.now();
  const fd = openSync(file, 'w');
  try {
    let pending: string[] = [];
    let bytes = 0;
    const flush = () => {
      writeSync(fd, pending.join(''));
      pending = [];
      bytes = 0;
    };
    const out = (text: string) => {
      pending.push(text);
      bytes += text.length;
      if (bytes >= 1 << 20) flush();
    };
    // One element per line, a comma after all but a list's last: the element before is written when the next comes.
    let held: string | undefined;
    const item = (value: unknown) => {
      if (held !== undefined) out(`${held},\n`);
      held = JSON.stringify(value);
    };
    const endList = (next: string) => {
      if (held !== undefined) out(`${held}\n`);
      held = undefined;
      out(next);
    };
    out(
      `{"version":1,"observedAt":${JSON.stringify(GENERATED_OBSERVED_AT)},"complete":true,"gaps":[\n],"accounts":[\n],"networks":[\n`,
    );
    const policy = generateEstateParts(size, { network: item, peering: () => undefined });
    endList('],"peerings":[\n');
    generateEstateParts(size, { network: () => undefined, peering: item });
    endList(']}\n');
    flush();
    writeFileSync(policyFile, JSON.stringify(policy));
  } finally {
    closeSync(fd);
  }
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

const ROOT = join(__dirname, '..', '..');
/** The heap `plan --estate` of a 1M-network snapshot is given, as a user would pass it: the estate is ~7 GiB as objects. */
export const MILLION_HEAP_MIB = 16_384;

/** A figure of GNU time's `-v` report (`\tMaximum resident set size (kbytes): 123`). */
function timeFigure(report: string, label: string): number {
  const line = report.split('\n').find((l) => l.trim().startsWith(`${label}:`));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(':') + 1).trim());
}

/**
 * The opt-in 1M row (PEERKEEPER_BENCH_1M=1: ~4 GiB of disk, a 13 GiB peak under a 16 GiB heap, ~15 minutes): the
 * snapshot is generated straight to disk (never held), then the compiled CLI runs `plan --estate` on it as a user
 * would, in its own process with `--max-old-space-size`, its output to /dev/null; time and peak RSS as GNU time
 * reports them.
 */
export function benchMillion(size = 1_000_000): Record<string, number | string | boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-snapshot-1m-'));
  try {
    const file = join(dir, 'estate.json');
    const policyFile = join(dir, 'policy.json');
    const written = child(['write-generated', String(size), file, policyFile]);
    const fileMiB = Math.round(statSync(file).size / MiB);
    execFileSync(process.execPath, [join(ROOT, 'infra', 'cli', 'build.cjs')], { cwd: ROOT, stdio: 'ignore' });
    const command = [
      process.execPath,
      `--max-old-space-size=${MILLION_HEAP_MIB}`,
      join(ROOT, 'bin', 'peerkeeper.cjs'),
      'plan',
      '--estate',
      file,
      '--policy',
      policyFile,
      '--state-dir',
      join(dir, 'state'),
    ];
    const run = spawnSync('/usr/bin/time', ['-v', ...command], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (run.error) throw run.error;
    const report = run.stderr;
    const exitCode = run.status ?? -1;
    const stringLength = /Invalid string length/.test(report);
    const cpuMs = Math.round(
      1000 * (timeFigure(report, 'User time (seconds)') + timeFigure(report, 'System time (seconds)')),
    );
    const wall = (report.split('\n').find((l) => l.includes('Elapsed (wall clock)')) ?? '').split(': ').pop() ?? '';
    const wallMs = Math.round(1000 * wall.split(':').reduce((total, part) => total * 60 + Number(part), 0));
    return {
      name: `snapshot-${size}`,
      networks: size,
      fileMiB,
      generateWriteMs: Number((written as { writeMs: number }).writeMs),
      generateWriteRssMiB: Number((written as { writeRssMiB: number }).writeRssMiB),
      planCliMs: wallMs,
      planCliCpuMs: cpuMs,
      planCliRssMiB: Math.round(timeFigure(report, 'Maximum resident set size (kbytes)') / 1024),
      maxOldSpaceMiB: MILLION_HEAP_MIB,
      exitCode,
      stringLengthError: stringLength,
      target: 'plan --estate of a 1M-network snapshot: no string-length error (time and RSS reported, no target)',
      pass: !stringLength && (exitCode === 0 || exitCode === 2),
      ...(exitCode === 0 || exitCode === 2 ? {} : { note: report.slice(-1000) }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Snapshot files past the size one JSON string can hold (~125k networks of this shape): written and read streamed,
 * then planned through `plan --estate`. 150k by default (PEERKEEPER_BENCH_NETWORKS for another size), and with
 * PEERKEEPER_BENCH_1M=1 the 1M row too (`benchMillion`: opt-in, ~15 minutes and 13 GiB; see docs/benchmarks-1m.md).
 */
export function benchSnapshot(
  sizes = [Number(process.env.PEERKEEPER_BENCH_NETWORKS ?? 150_000)],
): Record<string, number | string | boolean>[] {
  const rows = sizes.map((size) => {
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
  return process.env.PEERKEEPER_BENCH_1M === '1' ? [...rows, benchMillion()] : rows;
}

if (require.main === module) {
  const [mode, a, b, c] = process.argv.slice(2);
  const done = (row: object) => console.log(JSON.stringify(row));
  if (mode === 'write') done(write(Number(a), b!, c!));
  else if (mode === 'write-generated') done(writeGenerated(Number(a), b!, c!));
  else if (mode === 'read') done(read(a!));
  else if (mode === 'million') done(benchMillion(a === undefined ? undefined : Number(a)));
  else if (mode === 'plan') void plan(a!, b!).then(done);
  else for (const row of benchSnapshot()) done(row);
}
