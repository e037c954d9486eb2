import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

interface Snapshot {
  observedAt: unknown;
  complete: boolean;
  gaps: string[];
  networks: { cidrs: string[] }[];
  peerings: object[];
}
const example = (): Snapshot => JSON.parse(readFileSync('examples/estate.json', 'utf8')) as Snapshot;

describe('snapshots are validated like inputs', () => {
  it.each<{ reason: string; edit: (s: Snapshot) => void; error: RegExp }>([
    {
      reason: 'a bad CIDR is located by file and JSON path',
      edit: (s) => {
        s.networks[3]!.cidrs[1] = '10.0.0.300/33';
      },
      error: /bad\.json: networks\[3\]\.cidrs\[1\]: "10\.0\.0\.300\/33" is not a CIDR/,
    },
    {
      reason: 'a duplicate network names both paths',
      edit: (s) => {
        s.networks.push(s.networks[0]!);
      },
      error: /bad\.json: networks\[\d+\]: duplicate network aws:\S+ \(also at networks\[0\]\)/,
    },
    {
      reason: 'a duplicate peering id names both paths',
      edit: (s) => {
        s.peerings.push(s.peerings[2]!);
      },
      error: /bad\.json: peerings\[\d+\]: duplicate \w+ peering \S+ \(also at peerings\[2\]\)/,
    },
    {
      reason: 'a bad observedAt is named, not "--now undefined is not a date"',
      edit: (s) => {
        s.observedAt = 'soon';
      },
      error: /bad\.json: observedAt: "soon" is not an ISO timestamp/,
    },
    {
      reason: 'a missing observedAt is named',
      edit: (s) => {
        delete (s as Partial<Snapshot>).observedAt;
      },
      error: /bad\.json: observedAt: /,
    },
    {
      reason: 'incomplete with no gaps',
      edit: (s) => {
        s.complete = false;
      },
      error: /bad\.json: gaps: complete is false but no gap/,
    },
    {
      reason: 'complete with gaps',
      edit: (s) => {
        s.gaps = ['aws 444444444444 us-west-2: DescribeRouteTables throttled'];
      },
      error: /bad\.json: complete: complete is true but gaps lists 1/,
    },
    {
      reason: 'a schema error uses the same JSON path form',
      edit: (s) => {
        (s.networks[1] as unknown as { cidrs: unknown }).cidrs = 'x';
      },
      error: /bad\.json: networks\[1\]\.cidrs: /,
    },
  ])('plan refuses the snapshot with exit 1: $reason', async ({ edit, error }) => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-snapshot-'));
    const snapshot = example();
    edit(snapshot);
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const io = capture();
    expect(
      await runCli(
        ['plan', '--policy', 'examples/policy.yaml', '--estate', file, '--state-dir', join(dir, 'state')],
        io,
      ),
    ).toBe(1);
    expect(io.stderr).toMatch(error);
    expect(io.stdout).toBe('');
  });

  it('validate --estate checks the snapshot too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-snapshot-'));
    const snapshot = example();
    snapshot.networks[0]!.cidrs.push('fd00::/129');
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const io = capture();
    expect(await runCli(['validate', 'examples/policy.yaml', '--estate', file], io)).toBe(1);
    expect(io.stderr).toMatch(/bad\.json: networks\[0\]\.cidrs\[\d+\]: "fd00::\/129" is not a CIDR/);
  });
});
