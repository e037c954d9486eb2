import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Installable anywhere: `npm pack` gives a tarball (the prepare step builds dist/cli first) that installs into an
 * empty folder with production dependencies only, and the installed `peerkeeper` runs without tsx, TypeScript or
 * esbuild. npm reads its cache first, so a warm machine installs offline (~30 s for the SDKs).
 */
const work = mkdtempSync(join(tmpdir(), 'peerkeeper-pack-'));
const app = join(work, 'app');
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
let bin = '';

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const run = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return run;
}

beforeAll(() => {
  npm(['pack', '--pack-destination', work], process.cwd());
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'someone-elses-project', private: true }));
  npm(['install', '--omit=dev', '--prefer-offline', join(work, `peerkeeper-${version}.tgz`)], app);
  bin = join(app, 'node_modules', '.bin', 'peerkeeper');
}, 300_000);

const run = (args: string[]) =>
  spawnSync(bin, args, {
    cwd: app,
    encoding: 'utf8',
    env: { ...process.env, PEERKEEPER_STATE_DIR: join(work, 'state') },
  });
const examples = join(app, 'node_modules', 'peerkeeper', 'examples');

describe('the npm package, installed into an empty folder with production dependencies only', () => {
  it('ships the compiled CLI and no development dependencies come with it', () => {
    expect(existsSync(join(app, 'node_modules', 'peerkeeper', 'dist', 'cli', 'peerkeeper.mjs'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'peerkeeper', 'shared'))).toBe(false);
    const installed = new Set(readdirSync(join(app, 'node_modules')));
    for (const dev of ['tsx', 'typescript', 'esbuild', 'jest']) expect(installed.has(dev)).toBe(false);
  });

  it('prints its version (exit 0)', () => {
    const out = run(['--version']);
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(`${version}\n`);
  });

  it('answers --help with every command, and a usage error in one line (exit 1)', () => {
    expect(run(['--help']).stdout).toMatch(/^ {2}snapshot /m);
    const bad = run(['plan', '--policy', 'p.yaml', '--estate', 'e.json', '--provider', 'aws']);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('validates a policy (exit 0)', () => {
    const out = run(['validate', join(examples, 'policy.yaml')]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/policy\.yaml: valid — 6 groups/);
  });

  it('plans a snapshot (exit 2: changes)', () => {
    const out = run(['plan', '--policy', join(examples, 'policy.yaml'), '--estate', join(examples, 'estate.json')]);
    expect(out.status).toBe(2);
    expect(out.stdout).toMatch(/\+ create-peering/);
  });
});
