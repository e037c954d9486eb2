import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** Pairs per command: a command, then `node -e 0`, in turn, so a drift in the machine's speed hits both alike. */
const PAIRS = 11;

/** What a person types, and the most it may cost as a multiple of a bare `node -e 0` on the same machine (issue 16). */
const COMMANDS: readonly { name: string; args: string[]; limit: number }[] = [
  { name: 'cli-version', args: ['--version'], limit: 2 },
  { name: 'cli-validate', args: ['validate', 'examples/policy.yaml'], limit: 3 },
  {
    name: 'cli-plan-snapshot',
    args: ['plan', '--policy', 'examples/policy.yaml', '--estate', 'examples/estate.json'],
    limit: 4,
  },
];

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: 'ignore' });
  if (run.error) throw run.error;
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The installed command's start-up, as a ratio to `node -e 0` measured in the same run: the compiled CLI
 * (`npm run build`, what `npm install` builds) through the package's bin launcher, whole process from outside.
 * The ratio is the median of per-pair ratios; the milliseconds are medians too. Targets: --version ≤ 2×,
 * validate ≤ 3×, plan on the example snapshot ≤ 4×.
 */
export function benchCli(): object[] {
  execFileSync(process.execPath, [join(ROOT, 'infra', 'cli', 'build.cjs')], { cwd: ROOT, stdio: 'ignore' });
  const state = mkdtempSync(join(tmpdir(), 'peerkeeper-bench-cli-'));
  const env = { ...process.env, PEERKEEPER_STATE_DIR: state, NO_COLOR: '1' };
  try {
    return COMMANDS.map((c) => {
      const command = [join(ROOT, 'bin', 'peerkeeper.cjs'), ...c.args];
      wallMs(command, env);
      wallMs(['-e', '0'], env);
      const ms: number[] = [];
      const baseline: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < PAIRS; i += 1) {
        const a = wallMs(command, env);
        const b = wallMs(['-e', '0'], env);
        ms.push(a);
        baseline.push(b);
        ratios.push(a / b);
      }
      const ratio = Math.round(median(ratios) * 100) / 100;
      return {
        name: c.name,
        command: `peerkeeper ${c.args.join(' ')}`,
        ms: Math.round(median(ms)),
        nodeMs: Math.round(median(baseline)),
        ratio,
        target: `≤ ${c.limit}× node -e 0`,
        pass: ratio <= c.limit,
      };
    });
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
