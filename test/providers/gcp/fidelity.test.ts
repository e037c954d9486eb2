import { TerminalError } from '../../../shared/errors';
import type { Action, NetworkRef, Observation } from '../../../shared/model';
import { planScope } from '../../../shared/planner';
import { PolicySchema } from '../../../shared/policy/schema';
import type { ApplyContext } from '../../../shared/providers/port';
import { createGcpProvider, type GcpPeeringAdapter } from '../../../shared/providers/gcp';
import { googleErrors, type GcpEmulator } from '../../../infra/local/gcp';
import { GoogleError } from '../../../infra/local/gcp/googleError';
import { call, seededEmulator } from '../../infra/local/gcp/harness';
import { runningClock } from '../../support/clock';

// Issue 14, items 1 and 5: what real Compute does that the adapter and emulator once both got wrong.
const hub: NetworkRef = { cloud: 'gcp', account: 'hub-prj', region: 'global', id: 'hub' };
const spoke: NetworkRef = { cloud: 'gcp', account: 'spoke-prj', region: 'global', id: 'spoke' };
const PARTITIONS = [
  { cloud: 'gcp' as const, account: 'hub-prj' },
  { cloud: 'gcp' as const, account: 'spoke-prj' },
];
// The emulator's operations finish in real milliseconds; the date is fixed (deadlines stay elapsed-time budgets).
const clock = runningClock();
const ctx = (): ApplyContext => ({
  now: clock.now(),
  resolvePeeringId: () => undefined,
  deadline: Date.now() + 10_000,
});
const policy = PolicySchema.parse({
  version: 1,
  groups: {
    hub: { cloud: 'gcp', account: 'hub-prj', name: 'hub' },
    spokes: { cloud: 'gcp', account: ['spoke-prj'], name: 'spoke' },
  },
  connections: [{ name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes' }],
});

describe('GCP fidelity: stack type, PATCH-only updates, operation errors, CONSENSUS peerings', () => {
  let em: GcpEmulator;
  let adapter: GcpPeeringAdapter;
  beforeEach(async () => {
    em = await seededEmulator({ waitTimeoutMs: 100, now: clock.now });
    em.state.timing.pendingMs = 1;
    em.state.timing.runningMs = 2;
    // The hub becomes dual-stack too (the seeded spoke already is).
    em.state.createSubnetwork({
      project: 'hub-prj',
      region: 'us-central1',
      network: 'hub',
      name: 'hub-v6',
      ipCidrRange: '10.1.0.0/24',
      ipv6CidrRange: 'fd20:aa:bb:0:0:0:0:0/64',
    });
    adapter = createGcpProvider(
      policy,
      { PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${em.url}/compute/v1`, CLOUDSDK_CONFIG: '/nonexistent' },
      { attempts: 2, baseMs: 1, maxMs: 2 },
    );
  });
  afterEach(() => em.close());

  const observe = (): Promise<Observation> => adapter.observe(PARTITIONS);
  const plan = async () => planScope({ policy, observation: await observe(), now: clock.now() });
  const applyAll = async (actions: readonly Action[]) => {
    for (const a of actions) await adapter.apply(a, ctx());
  };
  const learnedV6 = async (project: string) =>
    (
      (await call(em, 'GET', `/compute/v1/projects/${project}/global/routes`)).body.items as {
        destRange: string;
        nextHopPeering?: string;
      }[]
    )
      .filter((r) => r.nextHopPeering && r.destRange.includes(':'))
      .map((r) => r.destRange);

  it('peers two dual-stack networks with stackType IPV4_IPV6 on both halves, so IPv6 subnet routes cross', async () => {
    const first = await plan();
    expect(
      first.actions
        .filter((a) => a.action === 'create-peering' || a.action === 'accept-peering')
        .map((a) =>
          a.action === 'create-peering' || a.action === 'accept-peering' ? a.after.options.stackType : undefined,
        ),
    ).toEqual(['IPV4_IPV6', 'IPV4_IPV6']);
    await applyAll(first.actions);
    expect(em.state.network('hub-prj', 'hub')!.peerings.map((h) => h.stackType)).toEqual(['IPV4_IPV6']);
    expect(await learnedV6('hub-prj')).toEqual(['fd20:1:2:0:0:0:0:0/64']);
    expect(await learnedV6('spoke-prj')).toEqual(['fd20:aa:bb:0:0:0:0:0/64']);
    expect((await observe()).peerings[0]!.options.stackType).toBe('IPV4_IPV6');
    expect((await plan()).actions).toEqual([]);
  });

  it('reads an IPV4_ONLY half of a dual-stack link back as drift and fixes it with updatePeering (PATCH)', async () => {
    em.state.addPeeringHalf({
      project: 'hub-prj',
      network: 'hub',
      name: 'peerkeeper-spoke-prj-spoke',
      peerProject: 'spoke-prj',
      peerNetwork: 'spoke',
      stackType: 'IPV4_IPV6',
    });
    em.state.addPeeringHalf({
      project: 'spoke-prj',
      network: 'spoke',
      name: 'peerkeeper-hub-prj-hub',
      peerProject: 'hub-prj',
      peerNetwork: 'hub',
    });
    expect(await learnedV6('hub-prj')).toEqual([]);
    const drift = await plan();
    expect(drift.actions.map((a) => [a.action, a.reason])).toEqual([
      ['update-peering', 'spokes-to-hub: peering options drifted (stackType)'],
    ]);
    await applyAll(drift.actions);
    expect(em.calls.count('compute.networks.updatePeering')).toBe(1);
    expect(await learnedV6('hub-prj')).toEqual(['fd20:1:2:0:0:0:0:0/64']);
    expect((await plan()).actions).toEqual([]);
  });

  it('refuses updatePeering over POST: Compute serves it as PATCH only', async () => {
    em.state.addPeeringHalf({
      project: 'hub-prj',
      network: 'hub',
      name: 'p',
      peerProject: 'spoke-prj',
      peerNetwork: 'spoke',
    });
    const post = await call(em, 'POST', '/compute/v1/projects/hub-prj/global/networks/hub/updatePeering', {
      networkPeering: { name: 'p', exportCustomRoutes: true },
    });
    expect(post.status).toBe(404);
    const patch = await call(em, 'PATCH', '/compute/v1/projects/hub-prj/global/networks/hub/updatePeering', {
      networkPeering: { name: 'p', stackType: 'IPV6_ONLY' },
    });
    expect(patch).toMatchObject({ status: 400, body: { error: { errors: [{ reason: 'invalid' }] } } });
  });

  it.each([
    {
      reason: 'a resource that vanished ends the operation 404',
      http: 404,
      text: 'NOT FOUND',
      errorCode: 'RESOURCE_NOT_FOUND',
    },
    {
      reason: 'an existing resource ends it 409 CONFLICT',
      http: 409,
      text: 'CONFLICT',
      errorCode: 'RESOURCE_ALREADY_EXISTS',
    },
    { reason: 'a quota ends it 403', http: 403, text: 'FORBIDDEN', errorCode: 'QUOTA_EXCEEDED' },
  ])('gives a failed operation the HTTP status of its cause: $reason', async ({ http, text, errorCode }) => {
    const fault =
      errorCode === 'RESOURCE_NOT_FOUND'
        ? googleErrors.notFound('projects/x')
        : errorCode === 'RESOURCE_ALREADY_EXISTS'
          ? googleErrors.alreadyExists('projects/x')
          : googleErrors.quota('NETWORK_PEERINGS', 25);
    em.state.operationFault = () => fault;
    const op = await call(em, 'POST', '/compute/v1/projects/hub-prj/global/networks/hub/addPeering', {
      networkPeering: {
        name: 'x',
        network: 'https://www.googleapis.com/compute/v1/projects/spoke-prj/global/networks/spoke',
      },
    });
    const waited = await call(
      em,
      'POST',
      `/compute/v1/projects/hub-prj/global/operations/${String(op.body.name)}/wait`,
    );
    expect(waited.body).toMatchObject({
      status: 'DONE',
      httpErrorStatusCode: http,
      httpErrorMessage: text,
      error: { errors: [{ code: errorCode }] },
    });
  });

  it('reports a 409 that is not "already exists" as a conflict, never as converged', async () => {
    em.state.operationFault = (method) =>
      method === 'compute.networks.addPeering'
        ? new GoogleError(
            409,
            'resourceInUseByAnotherResource',
            'The network is in use',
            'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE',
          )
        : undefined;
    const create: Action = {
      action: 'create-peering',
      cloud: 'gcp',
      reason: 'test',
      target: { requester: hub, accepter: spoke },
      after: { options: {}, tags: {} },
    };
    await expect(adapter.apply(create, ctx())).rejects.toThrow(TerminalError);
    await expect(adapter.apply(create, ctx())).rejects.toMatchObject({ code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE' });
  });

  it('observes a CONSENSUS peering, reports it, and removes it only after both sides requested removal', async () => {
    em.state.addPeeringHalf({
      project: 'hub-prj',
      network: 'hub',
      name: 'peerkeeper-spoke-prj-spoke',
      peerProject: 'spoke-prj',
      peerNetwork: 'spoke',
      updateStrategy: 'CONSENSUS',
    });
    em.state.addPeeringHalf({
      project: 'spoke-prj',
      network: 'spoke',
      name: 'peerkeeper-hub-prj-hub',
      peerProject: 'hub-prj',
      peerNetwork: 'hub',
      updateStrategy: 'CONSENSUS',
    });
    const seen = (await observe()).peerings[0]!;
    expect(seen).toMatchObject({ updateStrategy: 'CONSENSUS', state: 'active' });
    expect(seen.message).toMatch(/CONSENSUS update strategy/);
    const removeDirect = await call(em, 'POST', '/compute/v1/projects/hub-prj/global/networks/hub/removePeering', {
      name: 'peerkeeper-spoke-prj-spoke',
    });
    expect(removeDirect.status).toBe(400);
    const del: Action = {
      action: 'delete-peering',
      cloud: 'gcp',
      reason: 'test',
      target: { requester: hub, accepter: spoke },
      before: seen,
    };
    expect(await adapter.apply(del, ctx())).toMatchObject({ status: 'done' });
    expect(em.calls.count('compute.networks.requestRemovePeering')).toBe(2);
    expect(em.state.network('hub-prj', 'hub')!.peerings).toEqual([]);
    expect(em.state.network('spoke-prj', 'spoke')!.peerings).toEqual([]);
  });

  it('asks to remove a CONSENSUS peering whose other half it does not own, and waits for the peer admin', async () => {
    const own = createGcpProvider(
      PolicySchema.parse({ version: 1, groups: { hub: { cloud: 'gcp', account: 'hub-prj' } } }),
      { PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${em.url}/compute/v1`, CLOUDSDK_CONFIG: '/nonexistent' },
      { attempts: 2, baseMs: 1, maxMs: 2 },
    );
    em.state.addPeeringHalf({
      project: 'hub-prj',
      network: 'hub',
      name: 'p',
      peerProject: 'spoke-prj',
      peerNetwork: 'spoke',
      updateStrategy: 'CONSENSUS',
    });
    em.state.addPeeringHalf({
      project: 'spoke-prj',
      network: 'spoke',
      name: 'q',
      peerProject: 'hub-prj',
      peerNetwork: 'hub',
      updateStrategy: 'CONSENSUS',
    });
    const del: Action = {
      action: 'delete-peering',
      cloud: 'gcp',
      reason: 'test',
      target: { requester: hub, accepter: spoke },
      before: { id: 'x', cloud: 'gcp', requester: hub, accepter: spoke, state: 'active', options: {}, tags: {} },
    };
    expect(await own.apply(del, ctx())).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/waiting for the peer network's admin/),
    });
    const hubHalf = (await call(em, 'GET', '/compute/v1/projects/hub-prj/global/networks/hub')).body.peerings as {
      connectionStatus: unknown;
    }[];
    expect(hubHalf[0]!.connectionStatus).toMatchObject({
      updateStrategy: 'CONSENSUS',
      consensusState: { deleteStatus: 'LOCAL_DELETE_REQUESTED' },
    });
    expect(await own.apply(del, ctx())).toMatchObject({ status: 'skipped' });
    expect(em.calls.count('compute.networks.requestRemovePeering')).toBe(1);
  });

  it('sends full network URLs, as the Compute reference documents them', async () => {
    const bodies: unknown[] = [];
    const create: Action = {
      action: 'create-peering',
      cloud: 'gcp',
      reason: 'test',
      target: { requester: hub, accepter: spoke },
      after: { options: {}, tags: {} },
    };
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      if (init?.body) bodies.push(JSON.parse(String(init.body)));
      return original(input, init);
    }) as typeof fetch;
    try {
      await adapter.apply(create, ctx());
    } finally {
      globalThis.fetch = original;
    }
    expect(bodies).toContainEqual({
      networkPeering: expect.objectContaining({
        network: 'https://www.googleapis.com/compute/v1/projects/spoke-prj/global/networks/spoke',
      }),
    });
  });
});
