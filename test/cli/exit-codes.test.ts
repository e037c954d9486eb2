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

const POLICY = 'examples/policy.yaml';

/** The example snapshot converged (apply), then marked as partly unread. */
async function snapshot(dir: string, edit: (s: Record<string, unknown>) => void): Promise<string> {
  const converged = join(dir, 'converged.json');
  const io = capture();
  const code = await runCli(
    [
      'apply',
      '--policy',
      POLICY,
      '--estate',
      'examples/estate.json',
      '--out',
      converged,
      '--state-dir',
      join(dir, 'state'),
    ],
    io,
  );
  expect({ code, err: io.stderr, out: io.stdout.slice(-800) }).toMatchObject({ code: 0 });
  const estate = JSON.parse(readFileSync(converged, 'utf8')) as Record<string, unknown>;
  edit(estate);
  const file = join(dir, 'partial.json');
  writeFileSync(file, JSON.stringify(estate));
  return file;
}

const unreadSearch = {
  cloud: 'aws',
  account: '333333333333',
  region: 'us-east-1',
  reason: 'DescribeRouteTables: RequestLimitExceeded (throttled)',
};

describe('exit codes a gate can trust', () => {
  it.each([
    {
      reason: 'a converged, complete snapshot has no changes',
      edit: () => undefined,
      command: 'plan',
      code: 0,
      says: /No changes\. The estate matches the policy/,
      unread: [],
    },
    {
      reason: 'one named unread partition: exit 1, and it is named with its reason',
      edit: (s: Record<string, unknown>) => Object.assign(s, { complete: false, gaps: [], unread: [unreadSearch] }),
      command: 'plan',
      code: 1,
      says: /Observation INCOMPLETE: 1 partition unread; no conclusion/,
      unread: [/aws:333333333333:us-east-1: DescribeRouteTables: RequestLimitExceeded \(throttled\)/],
    },
    {
      reason: 'bare gap lines (an older snapshot) name their partitions too',
      edit: (s: Record<string, unknown>) =>
        Object.assign(s, {
          complete: false,
          gaps: ['azure:0b1f6471-1bf0-4dda-aec3-222222222222: AuthorizationFailed'],
        }),
      command: 'plan',
      code: 1,
      says: /Observation INCOMPLETE/,
      unread: [/azure:0b1f6471-1bf0-4dda-aec3-222222222222: AuthorizationFailed/],
    },
    {
      reason: 'apply on a partial read applies what it may, and still exits 1',
      edit: (s: Record<string, unknown>) => Object.assign(s, { complete: false, gaps: [], unread: [unreadSearch] }),
      command: 'apply',
      code: 1,
      says: /Applied: \d+ changes? —/,
      unread: [/aws:333333333333:us-east-1/],
    },
  ])('$command: $reason', async ({ edit, command, code, says, unread }) => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-exit-'));
    const file = await snapshot(dir, edit);
    const io = capture();
    const extra = command === 'apply' ? ['--out', join(dir, 'after.json')] : [];
    expect(
      await runCli([command, '--policy', POLICY, '--estate', file, ...extra, '--state-dir', join(dir, 'state')], io),
    ).toBe(code);
    expect(io.stdout).toMatch(says);
    for (const line of unread) expect(io.stdout).toMatch(line);
    if (code === 1) expect(io.stdout).not.toMatch(/No changes/);
  });

  it('plan --json keeps stdout one JSON document with complete: false, names the unread on stderr, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-exit-'));
    const file = await snapshot(dir, (s) => Object.assign(s, { complete: false, gaps: [], unread: [unreadSearch] }));
    const io = capture();
    expect(
      await runCli(['plan', '--policy', POLICY, '--estate', file, '--json', '--state-dir', join(dir, 'state')], io),
    ).toBe(1);
    expect((JSON.parse(io.stdout) as { complete: boolean }).complete).toBe(false);
    expect(io.stderr).toMatch(/aws:333333333333:us-east-1: DescribeRouteTables/);
  });

  describe('with no cloud credentials', () => {
    const saved = { ...process.env };
    beforeEach(() => {
      // Credentials and endpoints go; the SDK's own switches (AWS_SDK_JS_*, test/setup/node-runtime.ts) stay.
      for (const key of Object.keys(process.env))
        if (key.startsWith('AWS_') && key !== 'AWS_CA_BUNDLE' && !key.startsWith('AWS_SDK_JS_'))
          delete process.env[key];
      // Nowhere to find credentials: no files, no instance metadata (no network in unit tests).
      Object.assign(process.env, {
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_EC2_METADATA_DISABLED: 'true',
      });
    });
    afterEach(() => {
      process.env = { ...saved };
    });

    it('plan --provider aws exits 1 and names every unread partition with the credential error', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-exit-'));
      const io = capture();
      expect(
        await runCli(['plan', '--policy', POLICY, '--provider', 'aws', '--state-dir', join(dir, 'state')], io),
      ).toBe(1);
      expect(io.stdout).not.toMatch(/No changes/);
      expect(io.stdout).toMatch(/Observation INCOMPLETE: [1-9]\d* partitions? unread/);
      for (const account of ['111111111111', '222222222222', '333333333333', '444444444444'])
        expect(io.stdout).toMatch(new RegExp(`  aws:${account}:us-(east-1|west-2): .*Credential`));
    });
  });
});

describe("apply --estate honours a snapshot's incompleteness as the live path does", () => {
  it('keeps the managed peerings that depend on the unread subscription and removes only the one it could judge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-exit-'));
    // The data-mesh connection is dropped from the policy, so its three managed Azure peerings are unwanted.
    const text = readFileSync(POLICY, 'utf8');
    const start = text.indexOf('  - name: data-mesh');
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, text.slice(0, start) + text.slice(text.indexOf('  - name:', start + 5)));
    const analytics = '0b1f6471-1bf0-4dda-aec3-222222222222';
    const file = await snapshot(dir, (s) =>
      Object.assign(s, { complete: false, gaps: [`azure:${analytics}: AuthorizationFailed`] }),
    );
    const out = join(dir, 'after.json');
    const io = capture();
    expect(
      await runCli(
        ['apply', '--policy', policy, '--estate', file, '--out', out, '--state-dir', join(dir, 'state')],
        io,
      ),
    ).toBe(1);
    expect(io.stdout).toMatch(new RegExp(`azure:${analytics}: AuthorizationFailed`));
    const azure = (
      JSON.parse(readFileSync(out, 'utf8')) as {
        peerings: { cloud: string; id: string; accepter: { account: string }; requester: { account: string } }[];
      }
    ).peerings.filter((p) => p.cloud === 'azure');
    const touchesAnalytics = (p: (typeof azure)[number]) =>
      p.requester.account === analytics || p.accepter.account === analytics;
    expect(azure.filter(touchesAnalytics)).toHaveLength(2);
    expect(azure.filter((p) => !touchesAnalytics(p))).toHaveLength(0);
  });
});
