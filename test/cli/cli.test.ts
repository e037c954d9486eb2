import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';
import { loadPolicy, readCompiledPolicy } from '../../shared/policy';

function capture(): CliOutput & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    color: false,
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}

const POLICY = 'examples/policy.yaml';
const ESTATE = 'examples/estate.json';

describe('peerkeeper CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-cli-'));
  const state = ['--state-dir', join(dir, 'state')];

  it('plans the example with a readable plan and exit code 2 (changes)', async () => {
    const io = capture();
    expect(await runCli(['plan', '--policy', POLICY, '--estate', ESTATE, ...state], io)).toBe(2);
    expect(io.stdout).toMatch(/\+ create-peering/);
    expect(io.stdout).toMatch(/✗ reject-peering .*pcx-0dddd0000stranger/);
    expect(io.stdout).toMatch(/account 555555555555 is not listed in the policy/);
    expect(io.stdout).toMatch(/~ replace-route/);
    expect(io.stdout).toMatch(/\? request-approval .*pcx-0bbbb0000partner/);
    expect(io.stdout.includes(String.fromCharCode(27))).toBe(false); // no colour off a TTY
  });

  it('prints stable JSON for scripts', async () => {
    const io = capture();
    expect(await runCli(['plan', '--policy', POLICY, '--estate', ESTATE, '--json', ...state], io)).toBe(2);
    const plan = JSON.parse(io.stdout) as {
      complete: boolean;
      actions: { action: string; cloud: string; target: object; reason: string }[];
      problems: unknown[];
    };
    expect(plan.complete).toBe(true);
    expect(new Set(plan.actions.map((a) => a.action))).toEqual(
      new Set([
        'reject-peering',
        'create-peering',
        'accept-peering',
        'update-peering',
        'request-approval',
        'replace-route',
        'create-route',
        'report',
      ]),
    );
    for (const a of plan.actions) expect(a.reason.length).toBeGreaterThan(0);
  });

  it('applies, then plans again with no changes (exit 0); approves through the CLI path, then converges', async () => {
    const out = join(dir, 'converged.json');
    const apply = capture();
    expect(await runCli(['apply', '--policy', POLICY, '--estate', ESTATE, '--out', out, ...state], apply)).toBe(0);
    const again = capture();
    expect(await runCli(['plan', '--policy', POLICY, '--estate', out, ...state], again)).toBe(0);
    expect(again.stdout).toMatch(/No changes/);

    const list = capture();
    await runCli(['approvals', '--policy', POLICY, '--estate', out, '--json', ...state], list);
    const [pending] = JSON.parse(list.stdout) as { id: string; peeringId: string }[];
    expect(pending?.peeringId).toBe('pcx-0bbbb0000partner');
    const refused = capture();
    expect(
      await runCli(
        ['approve', pending!.id, '--policy', POLICY, '--as', 'U999NOBODY', '--now', '2026-11-20T12:30:00Z', ...state],
        refused,
      ),
    ).toBe(1);
    const ok = capture();
    expect(
      await runCli(
        ['approve', pending!.id, '--policy', POLICY, '--as', 'U012AB3CD', '--now', '2026-11-20T12:30:00Z', ...state],
        ok,
      ),
    ).toBe(0);
    const out2 = join(dir, 'converged2.json');
    const applied = capture();
    expect(await runCli(['apply', '--policy', POLICY, '--estate', out, '--out', out2, ...state], applied)).toBe(0);
    expect(applied.stdout).toMatch(/✓ accept-peering .*pcx-0bbbb0000partner/);
    const final = JSON.parse(readFileSync(out2, 'utf8')) as { peerings: { id: string; state: string }[] };
    expect(final.peerings.find((p) => p.id === 'pcx-0bbbb0000partner')?.state).toBe('active');
  });

  it('reports every policy error at once with file, line and path, exit 1', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'version: 1\ngroups:\n  hub: { cloud: aws }\nconnections:\n  - { name: x, topology: mesh, members: nope }\n  - { name: y, topology: pair, between: [hub, missing] }\n',
    );
    const io = capture();
    expect(await runCli(['validate', bad], io)).toBe(1);
    expect(io.stderr).toMatch(/bad\.yaml:5:\d+ connections\[0\]\.members/);
    expect(io.stderr).toMatch(/bad\.yaml:6:\d+ connections\[1\]\.between/);
  });

  it('compiles a valid policy to the JSON the functions load (--out), and writes nothing for an invalid one', async () => {
    const out = join(dir, 'policy.json');
    const io = capture();
    expect(await runCli(['validate', POLICY, '--out', out], io)).toBe(0);
    expect(io.stdout).toMatch(/compiled to .*policy\.json/);
    expect(readCompiledPolicy(readFileSync(out, 'utf8'), out)).toEqual(
      loadPolicy(readFileSync(POLICY, 'utf8'), POLICY).policy,
    );
    const bad = join(dir, 'bad-compile.yaml');
    writeFileSync(bad, 'version: 1\ngroups: {}\nconnections:\n  - { name: y, topology: pair, between: [a, b] }\n');
    const refused = join(dir, 'refused.json');
    expect(await runCli(['validate', bad, '--out', refused], capture())).toBe(1);
    expect(existsSync(refused)).toBe(false);
  });

  it('refuses a snapshot that is not one, and unknown commands, with exit 1', async () => {
    const notEstate = join(dir, 'x.json');
    writeFileSync(notEstate, '{"version": 2}');
    const io = capture();
    expect(await runCli(['plan', '--policy', POLICY, '--estate', notEstate, ...state], io)).toBe(1);
    expect(io.stderr).toMatch(/is not an estate snapshot/);
    expect(await runCli(['frobnicate'], capture())).toBe(1);
  });

  it('runs as `npx peerkeeper` through the package bin launcher, with the exit code of the command', () => {
    const run = spawnSync(
      process.execPath,
      ['bin/peerkeeper.cjs', 'plan', '--policy', POLICY, '--estate', ESTATE, '--state-dir', join(dir, 'launcher')],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/Plan: \d+ changes/);
  });

  it('prints the policy JSON Schema and the estate JSON Schema', async () => {
    const io = capture();
    expect(await runCli(['schema'], io)).toBe(0);
    expect(JSON.parse(io.stdout)).toMatchObject({ type: 'object' });
    const es = capture();
    expect(await runCli(['schema', '--estate'], es)).toBe(0);
    expect(JSON.parse(es.stdout).properties).toHaveProperty('networks');
  });
});
