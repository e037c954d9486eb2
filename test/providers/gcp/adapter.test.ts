import { TerminalError, RetryableError } from '../../../shared/errors';
import type { Action, NetworkRef, Observation } from '../../../shared/model';
import { PolicySchema } from '../../../shared/policy/schema';
import type { ApplyContext } from '../../../shared/providers/port';
import { createGcpProvider, type GcpPeeringAdapter } from '../../../shared/providers/gcp';
import { googleErrors, type GcpEmulator } from '../../../infra/local/gcp';
import { seededEmulator } from '../../infra/local/gcp/harness';
import { runningClock } from '../../support/clock';

const hub: NetworkRef = { cloud: 'gcp', account: 'hub-prj', region: 'global', id: 'hub' };
const spoke: NetworkRef = { cloud: 'gcp', account: 'spoke-prj', region: 'global', id: 'spoke' };
const clash: NetworkRef = { cloud: 'gcp', account: 'spoke-prj', region: 'global', id: 'clash' };
const PARTITIONS = [
  { cloud: 'gcp' as const, account: 'hub-prj' },
  { cloud: 'gcp' as const, account: 'spoke-prj' },
];
// The emulator's operations finish in real milliseconds; the date is fixed (deadlines stay elapsed-time budgets).
const clock = runningClock();
const ctx = (ms = 10_000): ApplyContext => ({
  now: clock.now(),
  resolvePeeringId: () => undefined,
  deadline: Date.now() + ms,
});
const reason = 'test';

const policy = PolicySchema.parse({
  version: 1,
  providers: { gcp: { projects: ['big-prj'], folder: '123' } },
  groups: { hub: { cloud: 'gcp', account: 'hub-prj' }, spokes: { cloud: 'gcp', account: ['spoke-prj'] } },
});

describe('GcpPeeringAdapter through the Compute emulator', () => {
  let em: GcpEmulator;
  let adapter: GcpPeeringAdapter;
  beforeAll(async () => {
    em = await seededEmulator({ waitTimeoutMs: 100, now: clock.now });
    em.state.timing.pendingMs = 2;
    em.state.timing.runningMs = 8;
    adapter = createGcpProvider(
      policy,
      { PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${em.url}/compute/v1`, CLOUDSDK_CONFIG: '/nonexistent' },
      { attempts: 4, baseMs: 5, maxMs: 20 },
    );
  });
  afterEach(() => em.faults.clear());
  afterAll(() => em.close());

  const observe = (): Promise<Observation> => adapter.observe(PARTITIONS);
  const peeringOf = (o: Observation) =>
    o.peerings.find((p) => [p.requester.id, p.accepter.id].sort().join() === 'hub,spoke');

  it('lists the projects of the policy and of its folder', async () => {
    expect((await adapter.partitions()).map((p) => p.account)).toEqual(['big-prj', 'hub-prj', 'spoke-prj']);
  });

  it('observes networks with every subnet range, project labels and one static route table', async () => {
    const o = await observe();
    expect(o.complete).toBe(true);
    expect(o.accounts.find((a) => a.account === 'hub-prj')?.labels).toEqual({ env: 'prod', role: 'hub' });
    const hubNet = o.networks.find((n) => n.ref.id === 'hub')!;
    expect(hubNet.cidrs).toEqual(['10.0.0.0/20', '10.4.0.0/14']);
    expect(o.networks.find((n) => n.ref.id === 'spoke')!.cidrs).toEqual(['10.16.0.0/20', 'fd20:1:2:0:0:0:0:0/64']);
    expect(hubNet.routeTables).toEqual([
      {
        id: 'routes',
        network: hub,
        main: true,
        tags: {},
        routes: [
          {
            destination: '0.0.0.0/0',
            target: { kind: 'other', id: 'gateway:projects/hub-prj/global/gateways/default-internet-gateway' },
            origin: 'static',
          },
          { destination: '192.168.0.0/16', target: { kind: 'other', id: 'ip:10.0.0.5' }, origin: 'static' },
        ],
      },
    ]);
    expect(o.peerings).toEqual([]);
  });

  it('creates the requester half (INACTIVE → requested) with a managed name', async () => {
    const action: Action = {
      action: 'create-peering',
      cloud: 'gcp',
      reason,
      target: { requester: hub, accepter: spoke },
      after: { options: {}, tags: {} },
    };
    const outcome = await adapter.apply(action, ctx());
    expect(outcome).toMatchObject({
      status: 'done',
      peeringId: 'projects/hub-prj/global/networks/hub/peerings/peerkeeper-spoke-prj-spoke',
    });
    const p = peeringOf(await observe())!;
    expect(p).toMatchObject({
      state: 'requested',
      requester: hub,
      accepter: spoke,
      tags: { 'peerkeeper:managed': 'true' },
    });
  });

  it('accepts by adding the reciprocal half, after which the peering is active and routes flow', async () => {
    const action: Action = {
      action: 'accept-peering',
      cloud: 'gcp',
      reason,
      target: { requester: hub, accepter: spoke },
      after: { options: {} },
    };
    expect((await adapter.apply(action, ctx())).status).toBe('done');
    const o = await observe();
    const p = peeringOf(o)!;
    expect(p).toMatchObject({
      state: 'active',
      id: 'projects/hub-prj/global/networks/hub/peerings/peerkeeper-spoke-prj-spoke',
    });
    const spokeRoutes = o.networks.find((n) => n.ref.id === 'spoke')!.routeTables[0]!.routes;
    expect(
      spokeRoutes
        .filter((r) => r.origin === 'propagated')
        .map((r) => [r.destination, r.target])
        .sort(),
    ).toEqual([
      ['10.0.0.0/20', { kind: 'peering', peeringId: p.id }],
      ['10.4.0.0/14', { kind: 'peering', peeringId: p.id }],
    ]);
  });

  it('makes zero writes when applied again (converged)', async () => {
    const writes = em.calls.writes;
    const create: Action = {
      action: 'create-peering',
      cloud: 'gcp',
      reason,
      target: { requester: hub, accepter: spoke },
      after: { options: {}, tags: {} },
    };
    const accept: Action = {
      action: 'accept-peering',
      cloud: 'gcp',
      reason,
      target: { requester: hub, accepter: spoke },
      after: { options: {} },
    };
    expect((await adapter.apply(create, ctx())).status).toBe('converged');
    expect((await adapter.apply(accept, ctx())).status).toBe('converged');
    expect(em.calls.writes).toBe(writes);
  });

  it('retries a peering operation in progress, then updates both halves', async () => {
    em.faults.fail({ method: 'compute.networks.updatePeering' }, googleErrors.peeringInProgress);
    const before = em.calls.count('compute.networks.updatePeering');
    const action: Action = {
      action: 'update-peering',
      cloud: 'gcp',
      reason,
      target: { requester: hub, accepter: spoke },
      before: {},
      after: { exportCustomRoutes: true, importCustomRoutes: true },
    };
    expect((await adapter.apply(action, ctx())).status).toBe('done');
    expect(em.calls.count('compute.networks.updatePeering') - before).toBe(3);
    expect(peeringOf(await observe())!.options).toEqual({
      exportCustomRoutes: true,
      importCustomRoutes: true,
      stackType: 'IPV4_ONLY',
    });
  });

  it('serializes concurrent actions on one network instead of colliding', async () => {
    const before = em.calls.count('compute.networks.updatePeering');
    const a: Action = {
      action: 'update-peering',
      cloud: 'gcp',
      reason,
      target: { requester: hub, accepter: spoke },
      before: {},
      after: { exportCustomRoutes: false },
    };
    const c: Action = {
      action: 'update-peering',
      cloud: 'gcp',
      reason,
      target: { requester: spoke, accepter: hub },
      before: {},
      after: { importCustomRoutes: false },
    };
    const b: Action = {
      action: 'create-route',
      cloud: 'gcp',
      reason,
      target: { network: hub, routeTableId: 'routes', destination: '172.16.0.0/12' },
      after: { kind: 'other', id: 'ip:10.0.0.6' },
    };
    const outcomes = await Promise.all([adapter.apply(a, ctx()), adapter.apply(c, ctx()), adapter.apply(b, ctx())]);
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done']);
    // Two halves per action and not one "operation in progress" refusal: the second waited for the first.
    expect(em.calls.count('compute.networks.updatePeering') - before).toBe(4);
    const routes = (await observe()).networks.find((n) => n.ref.id === 'hub')!.routeTables[0]!.routes;
    expect(routes).toContainEqual({
      destination: '172.16.0.0/12',
      target: { kind: 'other', id: 'ip:10.0.0.6' },
      origin: 'static',
    });
  });

  it('deletes a static route and treats a second delete as converged', async () => {
    const action: Action = {
      action: 'delete-route',
      cloud: 'gcp',
      reason,
      target: { network: hub, routeTableId: 'routes', destination: '172.16.0.0/12' },
      before: { destination: '172.16.0.0/12', target: { kind: 'other', id: 'ip:10.0.0.6' }, origin: 'static' },
    };
    expect((await adapter.apply(action, ctx())).status).toBe('done');
    expect((await adapter.apply(action, ctx())).status).toBe('converged');
  });

  it('reports a 500 in the middle of a paged list as an incomplete observation', async () => {
    for (let i = 0; i < 520; i += 1) {
      em.state.addRoute({
        project: 'spoke-prj',
        network: 'spoke',
        name: `r${i}`,
        destRange: `172.20.${i >> 8}.${i & 255}/32`,
        nextHop: { nextHopIp: '10.16.0.9' },
      });
    }
    const before = em.calls.count('compute.routes.list');
    em.faults.serverError({ method: 'compute.routes.list', skip: 1, times: 100 });
    const o = await observe();
    expect(o.complete).toBe(false);
    expect(o.gaps).toEqual([expect.stringMatching(/^gcp:spoke-prj: routes list failed: .*Backend Error/)]);
    expect(o.networks.map((n) => n.ref.account)).toEqual(['hub-prj']);
    expect(em.calls.count('compute.routes.list') - before).toBeGreaterThanOrEqual(3);
    em.faults.clear();
    for (let i = 0; i < 520; i += 1) em.state.routes.delete(`spoke-prj/r${i}`);
  });

  it('skips reject-peering: GCP has nothing to reject', async () => {
    const action: Action = {
      action: 'reject-peering',
      cloud: 'gcp',
      reason,
      target: { requester: clash, accepter: hub },
    };
    expect((await adapter.apply(action, ctx())).status).toBe('skipped');
  });

  it('fails terminally when Compute refuses overlapping ranges', async () => {
    em.state.addPeeringHalf({
      project: 'spoke-prj',
      network: 'clash',
      name: 'clash-to-hub',
      peerProject: 'hub-prj',
      peerNetwork: 'hub',
    });
    const action: Action = {
      action: 'accept-peering',
      cloud: 'gcp',
      reason,
      target: { requester: clash, accepter: hub },
      after: { options: {} },
    };
    await expect(adapter.apply(action, ctx())).rejects.toThrow(TerminalError);
    await expect(adapter.apply(action, ctx())).rejects.toThrow(/overlaps/);
  });

  it('removes the halves on our networks for delete-peering', async () => {
    const o = await observe();
    const action: Action = {
      action: 'delete-peering',
      cloud: 'gcp',
      reason,
      target: { requester: hub, accepter: spoke },
      before: peeringOf(o)!,
    };
    expect((await adapter.apply(action, ctx())).status).toBe('done');
    expect(peeringOf(await observe())).toBeUndefined();
    expect((await adapter.apply(action, ctx())).status).toBe('converged');
  });

  it('gives up waiting at the deadline with a retryable error and leaves the operation running', async () => {
    em.state.timing.runningMs = 60_000;
    try {
      const action: Action = {
        action: 'create-peering',
        cloud: 'gcp',
        reason,
        target: { requester: hub, accepter: spoke },
        after: { options: {}, tags: {} },
      };
      const err = await adapter.apply(action, ctx(300)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableError);
      expect((err as RetryableError).code).toBe('OPERATION_PENDING');
    } finally {
      em.state.timing.runningMs = 8;
    }
  });
});
