import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/** One measurement as a benchmark module returns it: a name, figures, and usually a target. */
type Row = Record<string, unknown> & { name: string };
/** A row with its verdict: pass true/false, or undefined when no machine-checkable target exists. */
type Judged = Row & { module: string; target: string; pass: boolean | undefined };

/** Every benchmark module `npm run bench` gathers; a module not yet in the tree is listed as not available. */
const MODULES: readonly { module: string; file: string; fn: string; measures: string }[] = [
  {
    module: 'planner',
    file: './planner.bench',
    fn: 'benchPlanner',
    measures: 'plan time, GC share and memory at 1k / 10k / 50k / 100k networks; growth 1k→10k and 10k→100k',
  },
  {
    module: 'snapshot',
    file: './snapshot.bench',
    fn: 'benchSnapshot',
    measures:
      'a 150k-network snapshot (past one JSON string) written, read and planned through plan --estate, streamed',
  },
  {
    module: 'partial-plan',
    file: './partial-plan.bench',
    fn: 'benchPartialPlan',
    measures: '10k networks planned with 5 % of accounts unreadable: time, held actions, unsafe actions',
  },
  {
    module: 'transit-plan',
    file: './transit-plan.bench',
    fn: 'benchTransitPlan',
    measures:
      '10k networks with half of them on Transit Gateways (attachments, propagated routes, summaries): plan time and memory',
  },
  { module: 'cidr', file: './cidr.bench', fn: 'benchCidr', measures: 'CIDR overlap detection over 100k prefixes' },
  {
    module: 'aws-calls',
    file: './aws-calls.bench',
    fn: 'benchAwsCalls',
    measures: 'EC2/STS calls per event and per sweep (EC2 emulator)',
  },
  {
    module: 'aws-scale',
    file: './aws-scale.bench',
    fn: 'benchAwsScale',
    measures: 'EC2/STS calls per event with 10 and with 1,000 named accounts: the same (issue 13)',
  },
  {
    module: 'organization',
    file: './organization.bench',
    fn: 'benchOrganization',
    measures:
      'organization discovery calls: AWS OU walk of 1,000 accounts, one vending event at 10 and 1,000, Azure 200 subscriptions, GCP 200 projects (issue 13)',
  },
  {
    module: 'aws-bundles',
    file: './aws-bundles.bench',
    fn: 'benchAwsBundles',
    measures: 'AWS Lambda bundle sizes and load times',
  },
  {
    module: 'azure',
    file: './azure.bench',
    fn: 'benchAzure',
    measures: 'Azure bundle and ARM calls per event and per sweep',
  },
  {
    module: 'gcp',
    file: './gcp.bench',
    fn: 'benchGcp',
    measures: 'GCP bundle and Compute calls per event and per sweep',
  },
  {
    module: 'transit-calls',
    file: './transit-calls.bench',
    fn: 'benchTransitCalls',
    measures:
      'calls per transit attachment event with the real handlers (AWS CreateTransitGatewayVpcAttachment, Azure hubVirtualNetworkConnections/write, GCP CreateSpoke) and its converged replay (issue 17)',
  },
  {
    module: 'load',
    file: './load.bench',
    fn: 'benchLoad',
    measures: '10,000 events in bursts of 1,000: throughput, p50/p99, none lost',
  },
  {
    module: 'cli',
    file: './cli.bench',
    fn: 'benchCli',
    measures: 'CLI start-up (--version, validate, plan on a snapshot) as a ratio to node -e 0',
  },
  {
    module: 'report',
    file: './report.bench',
    fn: 'benchReport',
    measures: 'peerkeeper report (compute + Markdown + HTML) over 10k and 100k audit entries',
  },
  {
    module: 'policy',
    file: './policy.bench',
    fn: 'benchPolicy',
    measures: 'validate a 20k-group policy (every warning placed on its line) and its growth from 2k',
  },
];

const num = (row: Row, key: string): number => (typeof row[key] === 'number' ? row[key] : Number.NaN);
const MB = 1024 * 1024;

/**
 * Targets the runner checks when a module states its target only as prose (issue 8 and DESIGN §10:
 * bundles < 1 MB and < 150 ms; plan < 2 s and < 1 GiB at 10k; CIDR overlap < 1 s at 100k). The API-call
 * budgets are the runner's: a converged sweep never writes (DESIGN §5) and reads ≤ 20 per partition — EC2
 * refills non-mutating calls at 20/s after a burst of 100, so a 1,000-partition sweep fans out without
 * throttling; one event's reconcile stays within 30 calls, ≤ 8 of them writes (create, accept, routes).
 */
const CHECKS: readonly { match: RegExp; target: string; check: (row: Row) => boolean }[] = [
  {
    match: /^plan-(1000|5000|10000)$/,
    target: 'plan < 2000 ms, RSS < 1024 MiB, plan ≤ 5× JSON.parse',
    check: (r) => num(r, 'planMs') < 2000 && num(r, 'peakRssMiB') < 1024 && num(r, 'ratio') <= 5,
  },
  { match: /^plan-growth/, target: 'growth ≤ n log n', check: (r) => r.withinNlogN === true },
  {
    match: /^plan-partial/,
    target: 'plan < 2000 ms; held > 0; 0 unsafe actions (each in the full plan)',
    check: (r) => num(r, 'planMs') < 2000 && num(r, 'held') > 0 && num(r, 'unsafe') === 0,
  },
  { match: /^cidr-overlap/, target: '< 1000 ms', check: (r) => num(r, 'ms') < 1000 },
  { match: /bundle/, target: '< 1 MB, < 150 ms to load', check: (r) => num(r, 'bytes') < MB && num(r, 'loadMs') < 150 },
  { match: /calls-route-change/, target: '≤ 3 reads plus the fixes (issue 3)', check: (r) => num(r, 'reads') <= 3 },
  {
    match: /calls-.*-sweep/,
    target: 'converged sweep: 0 writes, ≤ 20 reads per partition',
    check: (r) => num(r, 'writes') === 0 && num(r, 'reads') <= 20 * (num(r, 'partitions') || 1),
  },
  {
    match: /calls-.*event/,
    target: 'one event: ≤ 30 calls, ≤ 8 writes',
    check: (r) => num(r, 'reads') + num(r, 'writes') <= 30 && num(r, 'writes') <= 8,
  },
];

function judge(module: string, row: Row): Judged {
  const own = typeof row.target === 'string' ? row.target : undefined;
  if (typeof row.pass === 'boolean') return { ...row, module, target: own ?? '', pass: row.pass };
  const rule = CHECKS.find((c) => c.match.test(row.name));
  return { ...row, module, target: rule?.target ?? own ?? '(no target)', pass: rule ? rule.check(row) : undefined };
}

const FIGURE_SKIP = new Set(['name', 'target', 'pass', 'module', 'calls', 'note']);
function figures(row: Row): string {
  return Object.entries(row)
    .filter(([k, v]) => !FIGURE_SKIP.has(k) && (typeof v === 'number' || typeof v === 'boolean'))
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

function markdown(
  rows: readonly Judged[],
  unavailable: readonly { module: string; reason: string }[],
  meta: Record<string, unknown>,
): string {
  const mark = (p: boolean | undefined) => (p === true ? '✅ pass' : p === false ? '❌ fail' : '— no target');
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` (test/bench/run.ts) on ${String(meta.generatedAt)}: node ${String(meta.node)}, ${String(meta.cpus)} CPUs, load average ${String(meta.loadAverage)} at start (a shared machine: timings are upper bounds).`,
    'Raw figures: [benchmarks.json](benchmarks.json).',
    '',
    '| module | measurement | figures | target | result |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.module} | ${r.name} | ${figures(r).replace(/\|/g, '\\|')} | ${r.target.replace(/\|/g, '\\|')} | ${mark(r.pass)} |`,
    ),
  ];
  if (unavailable.length > 0)
    lines.push('', '## Not available', '', ...unavailable.map((u) => `- **${u.module}**: ${u.reason}`));
  const failed = rows.filter((r) => r.pass === false);
  lines.push(
    '',
    `${rows.length} measurements, ${rows.filter((r) => r.pass === true).length} pass, ${failed.length} fail, ${unavailable.length} modules not available.`,
    '',
  );
  const reruns = Array.isArray(meta.reruns)
    ? (meta.reruns as { modules: string[]; at: string; loadAverage?: string }[])
    : [];
  if (reruns.length > 0)
    lines.push(
      ...reruns.map(
        (r) =>
          `Re-run since: ${r.modules.join(', ')} on ${r.at}${r.loadAverage ? `, load average ${r.loadAverage} at start` : ''} (\`npm run bench -- ${r.modules.join(' ')}\`).`,
      ),
      '',
    );
  // Hand-written sections kept across regenerations (the opt-in 1M run takes minutes and ~16 GiB: not run by default).
  if (existsSync(MILLION_SECTION)) lines.push(readFileSync(MILLION_SECTION, 'utf8').trimEnd(), '');
  return lines.join('\n');
}

const DOCS = join(__dirname, '..', '..', 'docs');
/** The 1M-network snapshot section, written by hand after an opt-in run (PEERKEEPER_BENCH_1M=1). */
const MILLION_SECTION = join(DOCS, 'benchmarks-1m.md');

/** The figures of an earlier run, for a run of some modules only: their rows are replaced, the others kept. */
function earlier(): {
  meta: Record<string, unknown>;
  rows: Judged[];
  unavailable: { module: string; reason: string }[];
} {
  const file = join(DOCS, 'benchmarks.json');
  if (!existsSync(file)) return { meta: {}, rows: [], unavailable: [] };
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const {
    rows = [],
    unavailable = [],
    modules: _modules,
    ...meta
  } = json as {
    rows?: Judged[];
    unavailable?: { module: string; reason: string }[];
    modules?: unknown;
  } & Record<string, unknown>;
  return { meta, rows, unavailable };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const meta = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
  const rows: Judged[] = [];
  const unavailable: { module: string; reason: string }[] = [];
  for (const m of MODULES.filter((x) => only.length === 0 || only.includes(x.module))) {
    let bench: (() => Promise<Row[]> | Row[]) | undefined;
    try {
      const loaded = (await import(m.file)) as Record<string, unknown>;
      bench = typeof loaded[m.fn] === 'function' ? (loaded[m.fn] as () => Promise<Row[]> | Row[]) : undefined;
    } catch (error) {
      unavailable.push({
        module: m.module,
        reason: `not available (${m.file} does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      });
      continue;
    }
    if (!bench) {
      unavailable.push({ module: m.module, reason: `not available (${m.file} exports no ${m.fn})` });
      continue;
    }
    try {
      for (const row of await bench()) {
        const judged = judge(m.module, row);
        rows.push(judged);
        console.log(JSON.stringify(judged));
      }
    } catch (error) {
      const row = judge(m.module, {
        name: `${m.module}-error`,
        error: error instanceof Error ? error.message : String(error),
        pass: false,
        target: m.measures,
      });
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  // A run of some modules only (`npm run bench -- planner`) replaces their rows and keeps every other module's.
  let out = { meta: meta as Record<string, unknown>, rows, unavailable };
  if (only.length > 0) {
    const before = earlier();
    const order = (r: { module: string }) => MODULES.findIndex((m) => m.module === r.module);
    const reruns = [
      ...(Array.isArray(before.meta.reruns)
        ? (before.meta.reruns as { modules: string[]; at: string; loadAverage?: string }[])
        : []),
      { modules: only, at: meta.generatedAt, loadAverage: meta.loadAverage },
    ];
    out = {
      meta: before.rows.length > 0 ? { ...before.meta, reruns } : meta,
      rows: [...before.rows.filter((r) => !only.includes(r.module)), ...rows].sort((a, b) => order(a) - order(b)),
      unavailable: [...before.unavailable.filter((u) => !only.includes(u.module)), ...unavailable],
    };
  }
  mkdirSync(DOCS, { recursive: true });
  writeFileSync(
    join(DOCS, 'benchmarks.json'),
    `${JSON.stringify({ ...out.meta, modules: MODULES.map(({ module, measures }) => ({ module, measures })), rows: out.rows, unavailable: out.unavailable }, null, 2)}\n`,
  );
  writeFileSync(join(DOCS, 'benchmarks.md'), markdown(out.rows, out.unavailable, out.meta));
  if (rows.some((r) => r.pass === false)) process.exitCode = 1;
}

void main();
