import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';

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

const COMMANDS = [
  'validate',
  'schema',
  'plan',
  'apply',
  'graph',
  'snapshot',
  'approvals',
  'approve',
  'reject',
  'request',
  'doctor',
  'report',
];
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('peerkeeper helps itself', () => {
  it.each(COMMANDS)(
    '`%s --help` prints usage with examples and exits 0, without running the command',
    async (command) => {
      const io = capture();
      expect(await runCli([command, '--help'], io)).toBe(0);
      expect(io.stdout).toMatch(new RegExp(`^Usage: peerkeeper ${command}`));
      expect(io.stdout).toMatch(/\nExamples:\n {2}\$ peerkeeper /);
      expect(io.stdout).toMatch(/Exit codes: 0 = /);
      expect(io.stderr).toBe('');
    },
  );

  it.each([['--help'], ['help'], []])('`peerkeeper %s` lists every command and exits 0', async (...argv) => {
    const io = capture();
    expect(await runCli(argv.filter(Boolean), io)).toBe(0);
    for (const command of COMMANDS) expect(io.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
  });

  it('`help plan` is `plan --help`', async () => {
    const [a, b] = [capture(), capture()];
    await runCli(['help', 'plan'], a);
    await runCli(['plan', '--help'], b);
    expect(a.stdout).toBe(b.stdout);
  });

  it('--version prints the package version and exits 0', async () => {
    const io = capture();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout).toBe(`${version}\n`);
  });
});

describe('usage errors are one line, exit 1, never a stack trace', () => {
  const cases: { argv: string[]; says: RegExp; reason: string }[] = [
    {
      argv: ['plan', '--policy', 'p.yaml', '--estate', 'e.json', '--provider', 'aws'],
      says: /^peerkeeper plan: option '--estate <file>' cannot be used with option '--provider <name>'/,
      reason: 'the provider used to win silently',
    },
    {
      argv: ['apply', '--policy', 'p.yaml', '--provider', 'aws', '--estate', 'e.json'],
      says: /cannot be used with option '--provider <name>'/,
      reason: 'the conflict is found in either order',
    },
    {
      argv: ['plan', '--policy', 'p.yaml', '--bogus'],
      says: /^peerkeeper plan: unknown option '--bogus'/,
      reason: 'an unknown flag printed "Error: TypeError: …"',
    },
    {
      argv: ['plan', '--polcy', 'p.yaml'],
      says: /unknown option '--polcy' \(Did you mean --policy\?\)/,
      reason: 'a typo is named before the missing --policy it causes',
    },
    {
      argv: ['plan'],
      says: /^peerkeeper plan: required option '--policy <file>' not specified/,
      reason: 'a command that needs a policy says so',
    },
    {
      argv: ['plan', '--policy', 'p.yaml', '--provider', 'aliyun'],
      says: /argument 'aliyun' is invalid\. Allowed choices are aws, azure, gcp, local, memory/,
      reason: 'a provider outside the list is refused before anything is read',
    },
    {
      argv: ['snapshot', '--policy', 'p.yaml', '--out', 'e.json'],
      says: /^peerkeeper snapshot: required option '--provider <name>'/,
      reason: 'a snapshot records a live estate',
    },
    {
      argv: ['approve', '--policy', 'p.yaml'],
      says: /^peerkeeper approve: missing required argument 'id'/,
      reason: 'approve names what it approves',
    },
    { argv: ['frobnicate'], says: /^peerkeeper: unknown command 'frobnicate'/, reason: 'unknown commands' },
    {
      argv: ['validate', 'a.yaml', 'b.yaml'],
      says: /too many arguments/,
      reason: 'a second policy would be ignored silently',
    },
  ];
  it.each(cases)('$argv.0 … → $says ($reason)', async ({ argv, says }) => {
    const io = capture();
    expect(await runCli(argv, io)).toBe(1);
    expect(io.stderr).toMatch(says);
    expect(io.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(io.stderr).toMatch(/\(see `peerkeeper( \w+)? --help`\)$/m);
    expect(io.stderr).not.toMatch(/\n\s+at /);
    expect(io.stdout).toBe('');
  });
});

describe('from a shell', () => {
  it("`npm start -- --help` prints the local cloud's usage and exits 0", () => {
    const run = spawnSync('npm', ['start', '--silent', '--', '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm start/);
    expect(run.stdout).toMatch(/--interactive/);
  });

  it('the launcher prints --version and a one-line usage error with the right exit codes', () => {
    const version = spawnSync(process.execPath, ['bin/peerkeeper.cjs', '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    const bad = spawnSync(process.execPath, ['bin/peerkeeper.cjs', 'plan', '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
