import { startAwsEmulator, type AwsEmulator } from '../../infra/local/aws';
import { PolicySchema, type Policy } from '../../shared/policy';
import { AwsPeeringAdapter, awsDiscoveryFor } from '../../shared/providers/aws';
import { reconcileScope, type ReconcileResult } from '../../shared/reconcile';
import { testClock } from '../support/clock';

const HUB = '111111111111';
const PROD = '333333333333';
const LAB = '444444444444';
const SUSPENDED = '555555555555';
const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };
const CIDRS = { hub: '10.0.0.0/16', prod: '10.1.0.0/16', lab: '10.2.0.0/16', suspended: '10.3.0.0/16' };

const policy: Policy = PolicySchema.parse({
  version: 1,
  providers: { aws: { roleName: 'peerkeeper-member', regions: ['us-east-1'], hubAccount: HUB } },
  groups: {
    hub: { cloud: 'aws', account: HUB, tags: { 'peerkeeper/role': 'hub' } },
    // No account list: whoever the Workloads OU holds (nested OUs too) and tags a VPC as a spoke.
    workloads: { cloud: 'aws', organizationalUnit: 'Workloads', tags: { 'peerkeeper/role': 'spoke' } },
  },
  connections: [
    { name: 'workloads-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'workloads', routes: { tables: 'all' } },
  ],
});

/**
 * Vending with no policy edit, end to end over the EC2/STS/Organizations emulator through the real reconcile:
 * an account vended into a nested OU of a governed OU is peered with routes; one vended elsewhere is not touched;
 * a suspended account is not governed; one moved out keeps its links, reported, never deleted in the same run.
 */
describe('organizationalUnit groups, end to end', () => {
  let emu: AwsEmulator;
  let adapter: AwsPeeringAdapter;
  const clock = testClock();
  const vpcs = {
    hub: { vpcId: '', mainRouteTableId: '' },
    prod: { vpcId: '', mainRouteTableId: '' },
    lab: { vpcId: '', mainRouteTableId: '' },
    suspended: { vpcId: '', mainRouteTableId: '' },
  };
  const ou = { workloads: '', prod: '', sandbox: '' };

  const reconcile = (scope: Parameters<typeof reconcileScope>[0]): Promise<ReconcileResult> =>
    reconcileScope(scope, { policy, providers: { aws: adapter }, now: clock.now, sleep: async () => undefined });
  const peeringWith = (vpcId: string) =>
    [...emu.state.peerings.values()].find(
      (p) =>
        [p.requester.vpcId, p.accepter.vpcId].includes(vpcs.hub.vpcId) &&
        [p.requester.vpcId, p.accepter.vpcId].includes(vpcId) &&
        p.status === 'active',
    );
  const route = (table: string, destination: string) =>
    emu.state.routeTables.get(table)?.routes.find((r) => r.destination === destination)?.vpcPeeringConnectionId;

  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
    const org = emu.organization;
    ou.workloads = org.createOrganizationalUnit(org.rootId, 'Workloads').id;
    ou.prod = org.createOrganizationalUnit(ou.workloads, 'Prod').id;
    ou.sandbox = org.createOrganizationalUnit(org.rootId, 'Sandbox').id;
    for (const account of [PROD, LAB, SUSPENDED]) emu.state.setRole(account, { roleName: 'peerkeeper-member' });
    vpcs.hub = emu.state.createVpc({
      account: HUB,
      region: 'us-east-1',
      cidr: CIDRS.hub,
      tags: { 'peerkeeper/role': 'hub' },
    });
    const discovery = awsDiscoveryFor(policy, { AWS_ENDPOINT_URL: emu.url });
    // The adapter as createAwsProvider builds it, with static credentials for the emulator.
    const allowed = new Set([HUB]);
    adapter = new AwsPeeringAdapter(
      {
        roleName: 'peerkeeper-member',
        regions: ['us-east-1'],
        allowedAccounts: allowed,
        hubAccount: HUB,
        endpoint: emu.url,
        credentials: STATIC,
        backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      },
      { directory: discovery!.directory, allowed, close: () => discovery!.source.close() },
    );
    process.env.AWS_ACCESS_KEY_ID = STATIC.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = STATIC.secretAccessKey;
  });
  afterAll(async () => {
    adapter.close();
    await emu.close();
  });

  it('peers an account vended into a nested OU, with routes on both sides, on its vending event', async () => {
    const created = emu.organization.createAccount('payments', 'payments@example.com', PROD);
    emu.organization.moveAccount(created.id, emu.organization.rootId, ou.prod);
    vpcs.prod = emu.state.createVpc({
      account: PROD,
      region: 'us-east-1',
      cidr: CIDRS.prod,
      tags: { 'peerkeeper/role': 'spoke' },
    });
    const result = await reconcile({ kind: 'account', cloud: 'aws', account: PROD });
    expect(result.plan.problems.filter((p) => p.code === 'ungoverned')).toEqual([]);
    const peering = peeringWith(vpcs.prod.vpcId);
    expect(peering).toBeDefined();
    expect(route(vpcs.prod.mainRouteTableId, CIDRS.hub)).toBe(peering!.id);
    expect(route(vpcs.hub.mainRouteTableId, CIDRS.prod)).toBe(peering!.id);
  });

  it('leaves an account vended into another OU untouched, and says it is not governed', async () => {
    emu.organization.addAccount({ id: LAB, name: 'lab', parentId: ou.sandbox, joinedMethod: 'CREATED' });
    vpcs.lab = emu.state.createVpc({
      account: LAB,
      region: 'us-east-1',
      cidr: CIDRS.lab,
      tags: { 'peerkeeper/role': 'spoke' },
    });
    const result = await reconcile({ kind: 'account', cloud: 'aws', account: LAB });
    expect(result.writes).toBe(0);
    expect(result.plan.problems.map((p) => p.code)).toContain('ungoverned');
    expect(peeringWith(vpcs.lab.vpcId)).toBeUndefined();
  });

  it('does not govern a suspended account in the OU; the sweep converges with zero writes', async () => {
    emu.organization.addAccount({ id: SUSPENDED, name: 'old', parentId: ou.prod, state: 'SUSPENDED' });
    vpcs.suspended = emu.state.createVpc({
      account: SUSPENDED,
      region: 'us-east-1',
      cidr: CIDRS.suspended,
      tags: { 'peerkeeper/role': 'spoke' },
    });
    const sweep = await reconcile({ kind: 'estate' });
    expect(sweep.plan.complete).toBe(true);
    expect(sweep.writes).toBe(0);
    expect(sweep.observation.networks.map((n) => n.ref.account).sort()).toEqual([HUB, PROD]);
    expect(peeringWith(vpcs.suspended.vpcId)).toBeUndefined();
  });

  it('reports the links of an account moved out of the OU and keeps them (never deleted in the same run)', async () => {
    const before = peeringWith(vpcs.prod.vpcId)!.id;
    emu.organization.moveAccount(PROD, ou.prod, ou.sandbox);
    for (const scope of [
      { kind: 'account', cloud: 'aws', account: PROD } as const,
      { kind: 'estate' } as const,
      { kind: 'account', cloud: 'aws', account: HUB } as const,
    ]) {
      const result = await reconcile(scope);
      expect(result.plan.actions.filter((a) => a.action === 'delete-peering' || a.action === 'delete-route')).toEqual(
        [],
      );
      expect(result.writes).toBe(0);
      if (scope.kind !== 'account' || scope.account !== PROD) {
        const reports = result.plan.actions.filter((a) => a.action === 'report' && a.target.subject === before);
        // The hub's view: the far side is no longer governed (not observed), so the link is outside the policy's reach.
        expect(reports.map((a) => a.reason).join('\n')).toMatch(/not in the policy|no connection/);
      }
    }
    expect(peeringWith(vpcs.prod.vpcId)?.id).toBe(before);
    expect(route(vpcs.hub.mainRouteTableId, CIDRS.prod)).toBe(before);
  });

  it('turns a failed discovery into an unread gap over the cloud, never an empty organization', async () => {
    emu.faults.serverError({ action: 'ListRoots' });
    try {
      const sweep = await reconcile({ kind: 'estate' });
      expect(sweep.plan.complete).toBe(false);
      expect(sweep.plan.partitions).toContainEqual(expect.objectContaining({ cloud: 'aws', account: '*' }));
      expect(sweep.writes).toBe(0);
    } finally {
      emu.faults.clear();
    }
  });
});
