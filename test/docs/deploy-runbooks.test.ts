import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every packaging command in docs/deploy/*.md runs here as written, with the example policy for the reader's
 * `policy.yaml`. `osls package` is run by test/infra/aws/serverless.test.ts with the same parameters, checked below.
 */
const ROOT = join(__dirname, '..', '..');
const runbooks = readdirSync(join(ROOT, 'docs', 'deploy')).filter((f) => f.endsWith('.md'));
const commands = runbooks.flatMap((file) =>
  readFileSync(join(ROOT, 'docs', 'deploy', file), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /(npm run package:|osls package)/.test(line) && !line.startsWith('`') && !line.includes('`'))
    .map((line) => ({ file, line })),
);

describe('the deploy runbooks', () => {
  it('cover the three clouds, each with its packaging command', () => {
    expect(runbooks.sort()).toEqual(['aws.md', 'azure.md', 'gcp.md']);
    expect(commands.map((c) => c.file).sort()).toEqual(['aws.md', 'azure.md', 'gcp.md']);
  });

  it.each(commands.filter((c) => c.line.includes('npm run package:')))(
    '$file: `$line` runs and writes its package',
    ({ line }) => {
      const [, assignments, script] = /^((?:[A-Z_]+=\S+ )*)npm run (package:\w+)$/.exec(line) ?? [];
      expect(script).toBeDefined();
      const env = Object.fromEntries(
        assignments!
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map((a) => a.split('=') as [string, string]),
      );
      expect(env).toEqual({ PEERKEEPER_POLICY: 'policy.yaml' });
      const out = join(ROOT, 'dist', script!.split(':')[1]!);
      rmSync(out, { recursive: true, force: true });
      const run = spawnSync('npm', ['run', '-s', script!], {
        cwd: ROOT,
        env: { ...process.env, PEERKEEPER_POLICY: 'examples/policy.yaml' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(existsSync(join(out, `peerkeeper-${script!.split(':')[1]}.zip`))).toBe(true);
      // Terraform reads the policy hash beside the package (PEERKEEPER_POLICY_SHA256), which doctor compares.
      expect(readFileSync(join(out, `peerkeeper-${script!.split(':')[1]}.policy.sha256`), 'utf8')).toMatch(
        /^[0-9a-f]{64}\n$/,
      );
    },
    120_000,
  );

  it('gives osls package exactly the deploy parameters the packaging test passes', () => {
    const osls = commands.find((c) => c.line.includes('osls package'))!;
    const names = [...osls.line.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]).sort();
    const tested = readFileSync(join(ROOT, 'test', 'infra', 'aws', 'serverless.test.ts'), 'utf8');
    const parameters = /const PARAMETERS = \{([^}]*)\}/.exec(tested)![1]!;
    expect(names).toEqual([...parameters.matchAll(/([A-Z_]+):/g)].map((m) => m[1]).sort());
  });
});
