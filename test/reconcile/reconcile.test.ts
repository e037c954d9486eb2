import { ApprovalService, SilentNotifier, approvalGateway } from '../../shared/approvals';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import { partitionsFor, reconcileScope } from '../../shared/reconcile';
import { MemoryApprovalStore, MemoryAuditLog } from '../../shared/stores/memory';
import { HUB, NOW, PARTNER, SPOKE_A, SPOKE_B, awsRef, estate, hubSpokePolicy, network, peering } from '../support/estate-builder';

const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' });
const spokeA = network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' });
const spokeB = network(awsRef(SPOKE_B, 'vpc-b'), ['10.2.0.0/16'], { role: 'spoke' });
const partnerRequest = peering('pcx-p', awsRef(PARTNER, 'vpc-p'), hub, 'requested', { requesterCidrs: ['172.16.0.0/16'], expiresAt: '2026-11-25T00:00:00.000Z' });

function setup() {
  const memory = new MemoryCloud(estate([hub, spokeA, spokeB], [partnerRequest]), () => NOW);
  const audit = new MemoryAuditLog();
  const notifier = new SilentNotifier();
  const service = new ApprovalService({ store: new MemoryApprovalStore(), audit, notifier, approvers: ['U012AB3CD'] });
  const deps = { policy: hubSpokePolicy(), providers: memoryProviders(memory), now: () => NOW, audit, approvals: approvalGateway(service) };
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
    const first = await reconcileScope({ kind: 'estate' }, deps, { scope: { kind: 'estate' }, kind: 'sweep', eventId: 'evt-1' });
    expect(first.writes).toBe(memory.writes);
    const entries = await audit.list();
    expect(entries.filter((e) => e.planHash === first.planHash && e.eventId === 'evt-1').length).toBeGreaterThanOrEqual(first.writes);
    const second = await reconcileScope({ kind: 'estate' }, deps);
    expect(second.writes).toBe(0);
  });

  it('opens one approval per request however often it is seen, and accepts after approval', async () => {
    const { memory, service, deps } = setup();
    await reconcileScope({ kind: 'estate' }, deps);
    await reconcileScope({ kind: 'peering', cloud: 'aws', account: HUB, region: 'us-east-1', peeringId: 'pcx-p' }, deps);
    const pending = await service.pending();
    expect(pending.map((p) => p.peeringId)).toEqual(['pcx-p']);
    const decided = await service.handleDecision({ approvalId: pending[0]!.id, decision: 'approve', user: { id: 'U012AB3CD' }, now: NOW });
    expect(decided.ok).toBe(true);
    const after = await reconcileScope({ kind: 'peering', cloud: 'aws', account: HUB, region: 'us-east-1', peeringId: 'pcx-p' }, deps);
    expect(after.results.find((x) => x.action.action === 'accept-peering')?.status).toBe('done');
    expect(memory.peerings.get('aws:pcx-p')?.state).toBe('active');
  });

  it('narrows observation to the scope plus the accounts that anchor the topology', () => {
    const policy = hubSpokePolicy();
    const parts = partitionsFor({ kind: 'account', cloud: 'aws', account: SPOKE_A }, policy, ['aws']);
    expect(parts.map((p) => p.account)).toEqual([SPOKE_A, HUB]);
    expect(partitionsFor({ kind: 'estate' }, policy, ['aws']).map((p) => p.account)).toEqual([HUB, SPOKE_A, SPOKE_B]);
  });

  it('a spoke event reconciles only that spoke (and its hub side), leaving other spokes to their own events', async () => {
    const { memory, deps } = setup();
    const r = await reconcileScope({ kind: 'account', cloud: 'aws', account: SPOKE_A }, deps);
    expect(r.writes).toBeGreaterThan(0);
    const peered = [...memory.peerings.values()].filter((p) => p.state === 'active').map((p) => p.requester.id).sort();
    expect(peered).toEqual(['vpc-a']);
  });

  it('an event on the hub\'s route table reverts a drifted route of a link tagged ours from the hub side alone', async () => {
    const { memory, deps } = setup();
    await reconcileScope({ kind: 'estate' }, deps);
    const table = memory.networks.get('aws:111111111111:us-east-1:vpc-hub')!.routeTables[0]!;
    const route = table.routes.find((r) => r.destination === '10.1.0.0/16')!;
    route.target = { kind: 'other', id: 'nat-0drift' };
    const r = await reconcileScope({ kind: 'route-table', cloud: 'aws', account: HUB, region: 'us-east-1', routeTableId: table.id }, deps);
    expect(r.results.map((x) => [x.action.action, x.status])).toEqual([['replace-route', 'done']]);
    expect(route.target.kind).toBe('peering');
    // The memory cloud shows peerkeeper's tags from both sides, so the hub sees the link is ours (route-table-scope.test.ts has the rest).
    expect(r.observation.networks.map((n) => n.ref.id).sort()).toEqual(['vpc-hub']);
  });
});

