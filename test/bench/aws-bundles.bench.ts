import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import plugin from '../../infra/aws/esbuild-plugin.cjs';

const ROOT = join(__dirname, '..', '..');
/** Loads per bundle: the median of 5 fresh processes evens out the machine's noise (2 shared cores). */
const LOADS = 5;

/** Milliseconds to `require` the bundle in a fresh node process (measured inside it, so node's own start-up is excluded). */
function loadMs(bundle: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const samples = Array.from({ length: LOADS }, () =>
    Number(
      execFileSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, AWS_REGION: 'us-east-1', POWERTOOLS_METRICS_DISABLED: 'true' },
      }),
    ),
  ).sort((a, b) => a - b);
  return Math.round(samples[Math.floor(LOADS / 2)]! * 10) / 10;
}

/**
 * Bundles every handler in functions/aws exactly as the deployment does (the esbuild plugin's options:
 * minified CommonJS, platform node, target node22, mainFields module,main) and reports each bundle's size
 * and load time. Target: under 1 MB minified and under 150 ms to load.
 */
export async function benchAwsBundles(): Promise<object[]> {
  const out = mkdtempSync(join(tmpdir(), 'peerkeeper-bundles-'));
  try {
    const handlers = readdirSync(join(ROOT, 'functions', 'aws'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    const results: object[] = [];
    for (const fn of handlers) {
      const outfile = join(out, `${fn}.js`);
      await build({ ...plugin.esbuildOptions(join(ROOT, 'functions', 'aws', `${fn}.ts`), outfile), logLevel: 'error' });
      results.push({
        name: `bundle-${fn}`,
        bytes: statSync(outfile).size,
        loadMs: loadMs(outfile),
        target: '< 1 MB, < 150 ms',
      });
    }
    return results;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && /aws-bundles\.bench\.ts$/.test(process.argv[1])) {
  benchAwsBundles().then(
    (rows) => console.table(rows),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
