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

const ESTATE = 'examples/estate.json';
/** The example policy plus a GCP partner project (listed, never observed) whose link to the GCP hub needs a human. */
function partnerPolicy(dir: string): string {
  const text = readFileSync('examples/policy.yaml', 'utf8')
    .replace('  gcp-hub:    {', '  gcp-partners: { cloud: gcp, account: partner-proj }\n  gcp-hub:    {')
    .replace(
      'deny:',
      '  - { name: gcp-partner-link, topology: pair, between: [gcp-partners, gcp-hub], approval: chat }\n\ndeny:',
    );
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, text);
  return file;
}

describe('peerkeeper request (requests peerkeeper cannot see)', () => {
  it.each([
    {
      reason: 'a listed partner on a chat connection is asked about in chat',
      from: 'gcp:partner-proj:global:partner-net',
      cidrs: '10.99.0.0/20',
      expected: /\? request-approval +gcp +declared-\w+ partner-proj/,
    },
    {
      reason: 'an account the policy does not list is rejected',
      from: 'gcp:stranger-proj:global:x',
      cidrs: '10.98.0.0/20',
      expected: /✗ reject-peering +gcp +declared-\w+ .*\n.*account stranger-proj is not listed/,
    },
    {
      reason: 'a listed partner whose range overlaps the hub is rejected',
      from: 'gcp:partner-proj:global:overlapping',
      cidrs: '10.40.8.0/24',
      expected: /✗ reject-peering +gcp +declared-\w+ .*\n.*CIDR overlap/,
    },
  ])('registers the request and the plan judges it: $reason', async ({ from, cidrs, expected }) => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-request-'));
    const policy = partnerPolicy(dir);
    const state = ['--state-dir', join(dir, 'state')];
    const before = capture();
    await runCli(['plan', '--policy', policy, '--estate', ESTATE, ...state], before);
    expect(before.stdout).not.toMatch(/declared-/);
    const io = capture();
    expect(
      await runCli(
        [
          'request',
          '--policy',
          policy,
          '--estate',
          ESTATE,
          '--from',
          from,
          '--to',
          'gcp-hub',
          '--cidrs',
          cidrs,
          ...state,
        ],
        io,
      ),
    ).toBe(0);
    expect(io.stdout).toMatch(/Registered `declared-[0-9a-f]{12}`: gcp:.* → gcp:net-hub-prod:global:hub/);
    const again = capture();
    await runCli(
      [
        'request',
        '--policy',
        policy,
        '--from',
        from,
        '--to',
        'gcp:net-hub-prod:global:hub',
        '--cidrs',
        cidrs,
        ...state,
      ],
      again,
    );
    expect(again.stdout).toMatch(/Already registered/);
    const plan = capture();
    expect(await runCli(['plan', '--policy', policy, '--estate', ESTATE, ...state], plan)).toBe(2);
    expect(plan.stdout).toMatch(expected);
  });

  it('the person who declared a request may not approve it; another approver may', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-request-'));
    const policy = partnerPolicy(dir);
    writeFileSync(
      policy,
      readFileSync(policy, 'utf8').replace('approvers: [U012AB3CD, S0614TZR7]', 'approvers: [U012AB3CD, U0SECOND1]'),
    );
    const state = ['--state-dir', join(dir, 'state')];
    const declared = capture();
    expect({
      code: await runCli(
        [
          'request',
          '--policy',
          policy,
          '--estate',
          ESTATE,
          '--from',
          'gcp:partner-proj:global:partner-net',
          '--to',
          'gcp-hub',
          '--cidrs',
          '10.99.0.0/20',
          '--as',
          'U012AB3CD',
          ...state,
        ],
        declared,
      ),
      err: declared.stderr,
    }).toEqual({ code: 0, err: '' });
    const out = join(dir, 'after.json');
    expect(await runCli(['apply', '--policy', policy, '--estate', ESTATE, '--out', out, ...state], capture())).toBe(0);
    const list = capture();
    await runCli(['approvals', '--policy', policy, '--estate', out, '--json', ...state], list);
    const approval = (JSON.parse(list.stdout) as { id: string; peeringId: string; requestedBy?: string }[]).find((a) =>
      a.peeringId.startsWith('declared-'),
    );
    expect(approval?.requestedBy).toBe('U012AB3CD');
    const self = capture();
    expect(
      await runCli(['approve', approval!.id, '--policy', policy, '--estate', out, '--as', 'U012AB3CD', ...state], self),
    ).toBe(1);
    expect(self.stderr + self.stdout).toMatch(/You requested this peering/);
    expect(
      await runCli(
        ['approve', approval!.id, '--policy', policy, '--estate', out, '--as', 'U0SECOND1', ...state],
        capture(),
      ),
    ).toBe(0);
  });

  it.each([
    {
      reason: 'AWS requests are visible, never declared',
      args: ['--from', 'aws:999999999999:us-east-1:vpc-1', '--to', 'aws-hub', '--cidrs', '10.9.0.0/16'],
      error: /AWS peering requests are visible/,
    },
    {
      reason: 'a bad CIDR is named',
      args: ['--from', 'gcp:p:global:n', '--to', 'gcp:net-hub-prod:global:hub', '--cidrs', '10.9.0.0/33'],
      error: /10\.9\.0\.0\/33/,
    },
    {
      reason: 'an unknown group is refused',
      args: ['--from', 'gcp:p:global:n', '--to', 'no-such-group', '--cidrs', '10.9.0.0/16', '--estate', ESTATE],
      error: /neither a network key nor a policy group/,
    },
    {
      reason: 'missing --cidrs is named',
      args: ['--from', 'gcp:p:global:n', '--to', 'gcp-hub'],
      error: /required option '--cidrs <a,b>' not specified/,
    },
  ])('refuses a bad declaration: $reason', async ({ args, error }) => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-request-'));
    const io = capture();
    expect(
      await runCli(['request', '--policy', 'examples/policy.yaml', ...args, '--state-dir', join(dir, 'state')], io),
    ).toBe(1);
    expect(io.stderr).toMatch(error);
  });
});
