import { startAwsEmulator, type AwsEmulator } from '../../infra/local/aws';
import { isDestructive } from '../../shared/model';
import { AwsPeeringAdapter } from '../../shared/providers/aws';
import { reconcileScope } from '../../shared/reconcile';
import { HUB, SPOKE_A, SPOKE_B, hubSpokePolicy } from '../support/estate-builder';

// DescribeRouteTables pages hold at most 100 tables (the adapter asks for the maximum), so 105 make two pages.
const EXTRA_TABLES = 104;

describe('a list call failing mid-pagination, over the EC2 emulator and the real adapter', () => {
  let emu: AwsEmulator;
  let adapter: AwsPeeringAdapter;
  let spokeVpc: string;
  const policy = hubSpokePolicy({ limits: { maxChangesPerRun: 1000 } });
  const deps = () => ({ policy, providers: { aws: adapter }, sleep: async () => undefined });

  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB });
    for (const account of [SPOKE_A, SPOKE_B]) emu.state.setRole(account, { roleName: 'peerkeeper-member' });
    const hub = emu.state.createVpc({ account: HUB, region: 'us-east-1', cidr: '10.0.0.0/16', tags: { role: 'hub' } });
    for (let i = 0; i < EXTRA_TABLES; i++) emu.state.createRouteTable({ vpcId: hub.vpcId });
    spokeVpc = emu.state.createVpc({
      account: SPOKE_A,
      region: 'us-east-1',
      cidr: '10.1.0.0/16',
      tags: { role: 'spoke' },
    }).vpcId;
    adapter = new AwsPeeringAdapter({
      roleName: 'peerkeeper-member',
      regions: ['us-east-1'],
      allowedAccounts: new Set([HUB, SPOKE_A, SPOKE_B]),
      hubAccount: HUB,
      endpoint: emu.url,
      credentials: { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' },
      sdkMaxAttempts: 1,
      backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
  });
  afterAll(async () => {
    adapter.close();
    await emu.close();
  });

  it('converges the hub and spoke first (the state a later deletion would undo)', async () => {
    const first = await reconcileScope({ kind: 'estate' }, deps());
    expect(first.writes).toBeGreaterThan(EXTRA_TABLES);
    expect((await reconcileScope({ kind: 'estate' }, deps())).writes).toBe(0);
  });

  it('reports page 2 failing as a gap: the observation is incomplete, not silently short', async () => {
    emu.calls.reset();
    emu.faults.serverError({ action: 'DescribeRouteTables', skip: 1, times: 10 });
    const seen = await adapter.observe([{ cloud: 'aws', account: HUB, region: 'us-east-1' }]);
    emu.faults.clear();
    expect(emu.calls.of('DescribeRouteTables')).toBeGreaterThanOrEqual(2); // page 1 answered, page 2 failed
    expect(seen.complete).toBe(false);
    expect(seen.gaps.join()).toMatch(/DescribeRouteTables/);
  });

  it('deletes nothing while page 2 fails, and deletes once the list reads whole again', async () => {
    emu.state.vpc(spokeVpc).tags.role = 'other'; // the spoke leaves the policy: its peering and routes must go
    emu.faults.serverError({ action: 'DescribeRouteTables', skip: 1, times: 10 });
    const blind = await reconcileScope({ kind: 'estate' }, deps());
    emu.faults.clear();
    expect(blind.observation.complete).toBe(false);
    expect(blind.plan.actions.filter(isDestructive)).toEqual([]);
    const live = [...emu.state.peerings.values()].filter((p) => p.status === 'active');
    expect(live).toHaveLength(1);

    const seeing = await reconcileScope({ kind: 'estate' }, deps());
    expect(seeing.observation.complete).toBe(true);
    expect(seeing.plan.actions.some((a) => a.action === 'delete-peering')).toBe(true);
  });
});
