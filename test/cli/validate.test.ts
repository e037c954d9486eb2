import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';
import { HUB, SPOKE_A, SPOKE_B, awsRef, estate, network } from '../support/estate-builder';

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

// Line 9 is the deny rule. Its group `east` shares no selector field with hub or spokes, so only the estate
// shows that every network they hold is in us-east-1.
const POLICY = `version: 1
groups:
  hub: { cloud: aws, account: "${HUB}", tags: { role: hub } }
  spokes: { cloud: aws, tags: { role: spoke } }
  east: { cloud: aws, region: us-east-1 }
connections:
  - { name: spokes-to-hub, topology: hub-spoke, hub: hub, spokes: spokes }
deny:
  - { between: [east, east], reason: "freeze us-east-1" }
`;

const ALL_EAST = estate([
  network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' }),
  network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' }),
  network(awsRef(SPOKE_B, 'vpc-b'), ['10.2.0.0/16'], { role: 'spoke' }),
]);
const ONE_WEST = {
  ...ALL_EAST,
  networks: ALL_EAST.networks.map((n, i) => (i === 2 ? { ...n, ref: { ...n.ref, region: 'us-west-2' } } : n)),
};

describe('peerkeeper validate: deny coverage and --strict', () => {
  it.each([
    {
      reason: 'without an estate the selectors do not show the overlap: valid, no warning',
      estate: undefined,
      strict: false,
      code: 0,
      warns: false,
    },
    {
      reason:
        'with an estate where every hub and spoke is in us-east-1, the deny removes every pair: a located warning',
      estate: ALL_EAST,
      strict: false,
      code: 0,
      warns: true,
    },
    {
      reason: '--strict makes that warning an error, and nothing is compiled',
      estate: ALL_EAST,
      strict: true,
      code: 1,
      warns: true,
    },
    {
      reason: 'one spoke outside us-east-1 leaves a pair to peer: no warning, even under --strict',
      estate: ONE_WEST,
      strict: true,
      code: 0,
      warns: false,
    },
  ])('$reason', async ({ estate: snapshot, strict, code, warns }) => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-validate-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, POLICY);
    const args = ['validate', file, '--out', join(dir, 'policy.json')];
    if (snapshot) {
      writeFileSync(join(dir, 'estate.json'), JSON.stringify(snapshot));
      args.push('--estate', join(dir, 'estate.json'));
    }
    if (strict) args.push('--strict');
    const io = capture();
    expect(await runCli(args, io)).toBe(code);
    const warning = new RegExp(
      `policy\\.yaml:9:\\d+ deny\\[0\\]: deny\\[0\\] \\(east ⇄ east\\) removes every pair of connection "spokes-to-hub"`,
    );
    expect(warning.test(io.stderr)).toBe(warns);
    expect(existsSync(join(dir, 'policy.json'))).toBe(code === 0);
  });

  it('reports a duplicate key deep in a large map at the repeat, with its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-validate-'));
    const file = join(dir, 'policy.yaml');
    const groups = Array.from({ length: 500 }, (_, i) => `  g${i}: { cloud: aws, account: "${100000000000 + i}" }`);
    groups.splice(400, 0, '  g7: { cloud: aws }');
    writeFileSync(file, `version: 1\ngroups:\n${groups.join('\n')}\n`);
    const io = capture();
    expect(await runCli(['validate', file], io)).toBe(1);
    expect(io.stderr).toMatch(/policy\.yaml:403:3 Map keys must be unique: "g7"/);
  });
});
