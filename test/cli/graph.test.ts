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

const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-graph-'));
const base = [
  'graph',
  '--policy',
  'examples/policy.yaml',
  '--estate',
  'examples/estate.json',
  '--state-dir',
  join(dir, 'state'),
];

describe('peerkeeper graph', () => {
  it("prints Mermaid by default, with the example's peerings and their states", async () => {
    const io = capture();
    expect(await runCli(base, io)).toBe(0);
    expect(io.stdout).toMatch(/^flowchart LR\n/);
    expect(io.stdout).toContain('requested · unmanaged · drift: reject-peering');
    expect(io.stdout).toContain('approval pending');
  });

  it('writes a self-contained HTML page with an SVG to --out', async () => {
    const io = capture();
    const out = join(dir, 'topology.html');
    expect(await runCli([...base, '--format', 'html', '--out', out], io)).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
    expect(io.stderr).toMatch(/Wrote html topology to .*topology\.html: \d+ peering\(s\), \d+ change\(s\) pending/);
  });

  it('refuses an unknown format with exit 1', async () => {
    const io = capture();
    expect(await runCli([...base, '--format', 'png'], io)).toBe(1);
    expect(io.stderr).toContain('--format png: expected mermaid or html');
  });

  it('says how to start a local cloud when --provider local finds none', async () => {
    const io = capture();
    expect(
      await runCli(
        [
          'graph',
          '--policy',
          'infra/local/policy.yaml',
          '--provider',
          'local',
          '--state-dir',
          join(dir, 'nothing-here'),
        ],
        io,
      ),
    ).toBe(1);
    expect(io.stderr).toContain('npm start -- --interactive');
  });
});
