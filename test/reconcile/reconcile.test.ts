import { ApprovalService, SilentNotifier, approvalGateway } from '../../shared/approvals';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import type { Network, Observation, Scope } from '../../shared/model';
import type { Policy } from '../../shared/policy/schema';
import { partitionsFor, reconcileScope } from '../../shared/reconcile';
import { involvedPartitions } from '../../shared/reconcile/partitions';
import { MemoryApprovalStore, MemoryAuditLog } from '../../shared/stores/memory';
import {
  HUB,
  NOW,
  PARTNER,
  SPOKE_A,
  SPOKE_B,
  awsRef,
  estate,
  hubSpokePolicy,
  network,
  peering,
} from '../support/estate-builder';

const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' });
const spokeA = network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' });
const spokeB = network(awsRef(SPOKE_B, 'vpc-b'), ['10.2.0.0/16'], { role: 'spoke' });
const partnerRequest = peering('pcx-p', awsRef(PARTNER, 'vpc-p'), hub, 'requested', {
  requesterCidrs: ['172.16.0.0/16'],
  expiresAt: '2026-11-25T00:00:00.000Z',
});

function setup() {
  const memory = new MemoryCloud(estate([hub, spokeA, spokeB], [partnerRequest]), () => NOW);
  const audit = new MemoryAuditLog();
  const notifier = new SilentNotifier();
  const service = new ApprovalService({ store: new MemoryApprovalStore(), audit, notifier, approvers: ['U012AB3CD'] });
  const deps = {
    policy: hubSpokePolicy(),
    providers: memoryProviders(memory),
    now: () => NOW,
    audit,
    approvals: approvalGateway(service),
  };
  return { memory, audit, service, deps };
}

describe('reconcileScope', () => {
  it('observe mode plans everything and writes nothing', async () => {
    const { memory, deps } = setup();
    const r = await reconcileScope({ kind: 'estate' }, { ...deps, mode: 'observe' });
    expect(r.plan.actions.length).toBeGreaterThan(0);
    expect(r.writes).toBe(0);
    expect(memory.writes).toBe(0);
  });

  it('converges the estate, audits every change, and a second reconcile makes zero writes', async () => {
    const { memory, audit, deps } = setup();
    const first = await reconcileScope({ kind: 'estate' }, deps, {
      scope: { kind: 'estate' },
      kind: 'sweep',
      eventId: 'evt-1',
    });
    expect(first.writes).toBe(memory.writes);
    const entries = await audit.list();
    expect(entries.filter((e) => e.planHash === first.planHash && e.eventId === 'evt-1').length).toBeGreaterThanOrEqual(
      first.writes,
    );
    const second = await reconcileScope({ kind: 'estate' }, deps);
    expect(second.writes).toBe(0);
  });

  it('opens one approval per request however often it is seen, and accepts after approval', async () => {
    const { memory, service, deps } = setup();
    await reconcileScope({ kind: 'estate' }, deps);
    await reconcileScope(
      { kind: 'peering', cloud: 'aws', account: HUB, region: 'us-east-1', peeringId: 'pcx-p' },
      deps,
    );
    const pending = await service.pending();
    expect(pending.map((p) => p.peeringId)).toEqual(['pcx-p']);
    const decided = await service.handleDecision({
      approvalId: pending[0]!.id,
      decision: 'approve',
      user: { id: 'U012AB3CD' },
      now: NOW,
    });
    expect(decided.ok).toBe(true);
    const after = await reconcileScope(
      { kind: 'peering', cloud: 'aws', account: HUB, region: 'us-east-1', peeringId: 'pcx-p' },
      deps,
    );
    expect(after.results.find((x) => x.action.action === 'accept-peering')?.status).toBe('done');
    expect(memory.peerings.get('aws:pcx-p')?.state).toBe('active');
  });

  it("observes first the scope's own partition; the sweep every governed account", () => {
    const policy = hubSpokePolicy();
    expect(
      partitionsFor({ kind: 'account', cloud: 'aws', account: SPOKE_A }, policy, ['aws']).map((p) => p.account),
    ).toEqual([SPOKE_A]);
    expect(partitionsFor({ kind: 'estate' }, policy, ['aws']).map((p) => p.account)).toEqual([HUB, SPOKE_A, SPOKE_B]);
  });

  const governed = () => [HUB, SPOKE_A, SPOKE_B];
  const first = (networks: Network[], unread: Observation['unread'] = []): Observation => ({
    complete: unread.length === 0,
    gaps: [],
    unread,
    accounts: [],
    networks,
    peerings: [],
  });
  const INVOLVED: {
    name: string;
    reason: string;
    scope: Scope;
    policy?: Policy;
    first: Observation;
    want: string[];
  }[] = [
    {
      name: 'spoke account',
      reason: "a spoke's plan needs its hub",
      scope: { kind: 'account', cloud: 'aws', account: SPOKE_A },
      first: first([spokeA]),
      want: [HUB],
    },
    {
      name: 'spoke network',
      reason: 'a new spoke VPC is linked to the hub in its own event',
      scope: { kind: 'network', network: spokeA.ref },
      first: first([spokeA]),
      want: [HUB],
    },
    {
      name: 'account with no member network',
      reason: 'an account holding no spoke needs no hub, whatever groups name it',
      scope: { kind: 'account', cloud: 'aws', account: SPOKE_B },
      first: first([]),
      want: [],
    },
    {
      name: 'hub account',
      reason: 'a hub reads none of its spokes: their links are far sides, new spokes come by their own events',
      scope: { kind: 'account', cloud: 'aws', account: HUB },
      first: first([hub]),
      want: [],
    },
    {
      name: 'route table',
      reason: 'a route-table scope needs only the far sides of its links',
      scope: { kind: 'route-table', cloud: 'aws', account: SPOKE_A, region: 'us-east-1', routeTableId: 'rtb-a' },
      first: first([spokeA]),
      want: [],
    },
    {
      name: 'spoke account unread',
      reason: 'an unread own partition may hold a spoke: the hub is read in case',
      scope: { kind: 'account', cloud: 'aws', account: SPOKE_B },
      first: first([], [{ cloud: 'aws', account: SPOKE_B, region: 'us-east-1', reason: 'AccessDenied' }]),
      want: [HUB],
    },
    {
      name: 'mesh member',
      reason: 'a mesh is O(members) by nature: every named member account is read',
      policy: hubSpokePolicy({
        groups: { all: { cloud: 'aws', account: [HUB, SPOKE_A, SPOKE_B] } },
        connections: [{ name: 'm', topology: 'mesh', members: 'all' }],
      }),
      scope: { kind: 'network', network: spokeA.ref },
      first: first([spokeA]),
      want: [HUB, SPOKE_B],
    },
    {
      name: 'ungoverned partner',
      reason: 'a pair side in an account peerkeeper does not govern is never read',
      scope: { kind: 'account', cloud: 'aws', account: HUB },
      first: first([hub]),
      want: [],
    },
  ];
  it.each(INVOLVED)('after the first read, a $name scope also reads what its connections involve', (c) => {
    const got = involvedPartitions(c.scope, c.policy ?? hubSpokePolicy(), c.first, governed).map((p) => p.account);
    expect({ reason: c.reason, got }).toEqual({ reason: c.reason, got: c.want });
  });

  it('a spoke event reconciles only that spoke (and its hub side), leaving other spokes to their own events', async () => {
    const { memory, deps } = setup();
    const r = await reconcileScope({ kind: 'account', cloud: 'aws', account: SPOKE_A }, deps);
    expect(r.writes).toBeGreaterThan(0);
    const peered = [...memory.peerings.values()]
      .filter((p) => p.state === 'active')
      .map((p) => p.requester.id)
      .sort();
    expect(peered).toEqual(['vpc-a']);
  });

  it("an event on the hub's route table reverts a drifted route of a link tagged ours from the hub side alone", async () => {
    const { memory, deps } = setup();
    await reconcileScope({ kind: 'estate' }, deps);
    const table = memory.networks.get('aws:111111111111:us-east-1:vpc-hub')!.routeTables[0]!;
    const route = table.routes.find((r) => r.destination === '10.1.0.0/16')!;
    route.target = { kind: 'other', id: 'nat-0drift' };
    const r = await reconcileScope(
      { kind: 'route-table', cloud: 'aws', account: HUB, region: 'us-east-1', routeTableId: table.id },
      deps,
    );
    expect(r.results.map((x) => [x.action.action, x.status])).toEqual([['replace-route', 'done']]);
    expect(route.target.kind).toBe('peering');
    // The memory cloud shows peerkeeper's tags from both sides, so the hub sees the link is ours (route-table-scope.test.ts has the rest).
    expect(r.observation.networks.map((n) => n.ref.id).sort()).toEqual(['vpc-hub']);
  });
});
