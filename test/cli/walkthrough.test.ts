import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The `npx peerkeeper …` lines of the README's "The CLI on a snapshot" section, in order, comments dropped. */
function walkthroughCommands(): string[][] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('### The CLI on a snapshot');
  const rest = readme.slice(start + 1);
  const end = rest.search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('npx peerkeeper '))
    .map((line) => line.replace(/#.*$/, '').trim().split(/\s+/).slice(2));
}

describe('the README walkthrough on a snapshot', () => {
  afterEach(() => {
    delete process.env.PEERKEEPER_STATE_DIR;
  });
  // No --now anywhere: the commands must agree on the snapshot's observedAt by themselves, on any date
  // (CI also runs this file under faketime years ahead of examples/estate.json).
  it('runs as written: approvals lists the partner request, approve accepts the decision, apply acts on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-walkthrough-'));
    // The README's commands name no --state-dir (the default .peerkeeper/); the environment points it here instead.
    process.env.PEERKEEPER_STATE_DIR = join(dir, 'state');
    const commands = walkthroughCommands();
    expect(commands.map((c) => c[0])).toEqual(['validate', 'plan', 'apply', 'plan', 'approvals', 'approve', 'apply']);
    const outcomes: { command: string; code: number }[] = [];
    let approvalId = '';
    let last = capture();
    for (const words of commands) {
      const args = words.map((w) => w.replace('/tmp/', `${dir}/`).replace('<id>', approvalId));
      last = capture();
      const code = await runCli(args, last);
      outcomes.push({ command: args[0]!, code });
      if (args[0] === 'approvals') approvalId = /^(aws-\S+)\s+aws pcx-0bbbb0000partner/m.exec(last.stdout)?.[1] ?? '';
      if (args[0] === 'approve') expect(last.stdout).toMatch(/approved/i);
    }
    expect(approvalId).not.toBe('');
    expect(outcomes).toEqual([
      { command: 'validate', code: 0 },
      { command: 'plan', code: 2 },
      { command: 'apply', code: 0 },
      { command: 'plan', code: 0 },
      { command: 'approvals', code: 0 },
      { command: 'approve', code: 0 },
      { command: 'apply', code: 0 },
    ]);
    expect(last.stdout).toMatch(/accept-peering +aws +pcx-0bbbb0000partner/);
  });
});
