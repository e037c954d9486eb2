import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_POLICY_FILE, startLocalCloud, type LocalCloud } from '../../infra/local/cloud';
import { CAST } from '../../infra/local/scenario';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';
import { readEstate } from '../../shared/cli/io';
import { REDACTED } from '../../shared/cli/redact';
import { snapshotCommand } from '../../shared/cli/snapshot';
import type { Estate, Plan } from '../../shared/model';

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

/** The moment both plans are made at: the snapshot's observedAt, and --now for the live plan. */
const NOW = '2026-11-20T12:00:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-snapshot-'));
const state = ['--state-dir', dir];
let cloud: LocalCloud;

/** A plan as JSON, from the CLI, with its exit code. */
async function planJson(args: string[]): Promise<{ code: number; plan: Plan }> {
  const io = capture();
  const code = await runCli(['plan', '--policy', LOCAL_POLICY_FILE, '--json', ...state, ...args], io);
  if (code === 1) throw new Error(`plan failed: ${io.stderr}`);
  return { code, plan: JSON.parse(io.stdout) as Plan };
}

beforeAll(async () => {
  cloud = await startLocalCloud();
  writeFileSync(join(dir, 'local.json'), JSON.stringify(cloud.endpoints));
  // An estate that is not yet as declared, set straight into the emulators (no events, so no function reconciles it):
  // a hub and a spoke to peer, an Azure mesh of two, a GCP hub and spoke.
  cloud.aws.state.createVpc({
    account: CAST.aws.hub,
    region: 'us-east-1',
    cidr: CAST.cidrs.hub,
    tags: { Name: 'hub', 'peerkeeper/role': 'hub', owner: 'team-net' },
  });
  cloud.aws.state.createVpc({
    account: CAST.aws.spoke,
    region: 'us-east-1',
    cidr: CAST.cidrs.spoke,
    tags: { Name: 'payments', 'peerkeeper/role': 'spoke', owner: 'team-pay' },
  });
  cloud.azure.state.createVnet({
    subscription: CAST.azure.dataA,
    resourceGroup: 'net',
    name: 'data-a',
    location: 'westeurope',
    addressPrefixes: [CAST.cidrs.dataA],
    tags: { tier: 'data' },
  });
  cloud.azure.state.createVnet({
    subscription: CAST.azure.dataB,
    resourceGroup: 'net',
    name: 'data-b',
    location: 'westeurope',
    addressPrefixes: [CAST.cidrs.dataB],
    tags: { tier: 'data' },
  });
  cloud.gcp.state.createNetwork({ project: CAST.gcp.hub, name: 'hub' });
  cloud.gcp.state.createSubnetwork({
    project: CAST.gcp.hub,
    region: 'europe-west1',
    network: 'hub',
    name: 'hub-ew1',
    ipCidrRange: CAST.cidrs.gcpHub,
  });
  cloud.gcp.state.createNetwork({ project: CAST.gcp.spoke, name: 'app' });
  cloud.gcp.state.createSubnetwork({
    project: CAST.gcp.spoke,
    region: 'europe-west1',
    network: 'app',
    name: 'app-ew1',
    ipCidrRange: CAST.cidrs.gcpSpoke,
  });
}, 30_000);
afterAll(() => cloud?.close());

describe('peerkeeper snapshot', () => {
  it("writes the local cloud's observed estate, and `plan --estate` of it gives the plan `plan --provider local` gives", async () => {
    const out = join(dir, 'estate.json');
    const io = capture();
    expect(
      await runCli(
        ['snapshot', '--provider', 'local', '--policy', LOCAL_POLICY_FILE, '--out', out, '--now', NOW, ...state],
        io,
      ),
    ).toBe(0);
    expect(io.stderr).toMatch(/Wrote .*estate\.json: 6 network\(s\), 0 peering\(s\) in 6 account\(s\)/);
    const estate = readEstate(out);
    expect(estate).toMatchObject({ version: 1, observedAt: NOW, complete: true, gaps: [] });

    const live = await planJson(['--provider', 'local', '--now', NOW]);
    const replayed = await planJson(['--estate', out]);
    expect(live.code).toBe(2);
    expect(live.plan.actions.length).toBeGreaterThanOrEqual(4);
    expect(replayed.code).toBe(live.code);
    // The same plan: every action, held action, problem and verdict. Only the list of partitions read differs, as it
    // should: live, the far side of a GCP peering is a second read; from the snapshot, it is in the first one.
    const { partitions: livePartitions, ...livePlan } = live.plan;
    const { partitions: replayedPartitions, ...replayedPlan } = replayed.plan;
    expect(replayedPlan).toEqual(livePlan);
    const accounts = (ps: typeof livePartitions) =>
      new Set((ps ?? []).map((p) => `${p.cloud}:${p.account}:${String(p.complete)}`));
    expect(accounts(replayedPartitions)).toEqual(accounts(livePartitions));
  }, 30_000);

  it("honours --scope: a snapshot of one account holds only what that account's plan observes", async () => {
    const out = join(dir, 'scoped.json');
    const scope = JSON.stringify({ kind: 'account', cloud: 'azure', account: CAST.azure.dataA });
    expect(
      await snapshotCommand(
        { policy: LOCAL_POLICY_FILE, provider: 'local', out, stateDir: dir, now: NOW, scope },
        capture(),
      ),
    ).toBe(0);
    const estate = readEstate(out);
    expect(new Set(estate.networks.map((n) => n.ref.cloud))).toEqual(new Set(['azure']));
    expect(estate.networks.some((n) => n.ref.account === CAST.azure.dataA)).toBe(true);
  }, 30_000);

  it('redacts names and tag values the policy does not select on, and the redacted snapshot plans the same actions', async () => {
    const plain = join(dir, 'estate.json');
    const out = join(dir, 'redacted.json');
    expect(
      await snapshotCommand(
        { policy: LOCAL_POLICY_FILE, provider: 'local', out, stateDir: dir, now: NOW, redact: true },
        capture(),
      ),
    ).toBe(0);
    const estate = readEstate(out);
    const hub = estate.networks.find((n) => n.ref.account === CAST.aws.hub)!;
    expect(hub.tags).toEqual({ Name: REDACTED, 'peerkeeper/role': 'hub', owner: REDACTED });
    expect(JSON.stringify(estate)).not.toMatch(/team-net|team-pay|payments/);
    const targets = (p: Plan) => p.actions.map((a) => ({ action: a.action, cloud: a.cloud, target: a.target }));
    expect(targets((await planJson(['--estate', out])).plan)).toEqual(
      targets((await planJson(['--estate', plain])).plan),
    );
  }, 30_000);

  it('refuses to run without a live provider or without --out, with exit 1 and a one-line reason', async () => {
    const cases = [
      {
        reason: 'a snapshot of a snapshot is a copy',
        args: { provider: 'memory', out: join(dir, 'x.json') },
        says: /already is one/,
      },
      {
        reason: 'there is nothing to observe without a provider',
        args: { out: join(dir, 'x.json') },
        says: /needs --provider/,
      },
      { reason: 'the estate must go somewhere', args: { provider: 'local' }, says: /needs --out/ },
    ];
    for (const c of cases) {
      await expect(snapshotCommand({ policy: LOCAL_POLICY_FILE, stateDir: dir, ...c.args }, capture())).rejects.toThrow(
        c.says,
      );
    }
  });
});

describe('a snapshot with unread partitions', () => {
  it('replays as incomplete: `plan --estate` holds what depends on the unread account and says which', async () => {
    const base = JSON.parse(readFileSync('examples/estate.json', 'utf8')) as Estate;
    const unread = {
      cloud: 'aws' as const,
      account: '333333333333',
      region: 'us-east-1',
      reason: 'AccessDenied: not authorized to perform ec2:DescribeVpcs',
    };
    const file = join(dir, 'incomplete.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...base,
        complete: false,
        gaps: ['aws:333333333333:us-east-1: AccessDenied'],
        unread: [unread],
        networks: base.networks.filter((n) => n.ref.account !== unread.account),
      }),
    );
    const io = capture();
    await runCli(['plan', '--policy', 'examples/policy.yaml', '--estate', file, '--json', ...state], io);
    const plan = JSON.parse(io.stdout) as Plan & { unread?: unknown[] };
    expect(plan.complete).toBe(false);
    expect(JSON.stringify(plan)).toContain('333333333333');
  });
});
