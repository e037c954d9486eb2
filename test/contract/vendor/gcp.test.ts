import { startGcpEmulator, type GcpEmulator } from '../../../infra/local/gcp';
import type { Action, NetworkRef } from '../../../shared/model';
import { PolicySchema } from '../../../shared/policy/schema';
import { createGcpProvider } from '../../../shared/providers/gcp';
import gkeNetwork from '../../fixtures/gcp/gcp-compute-networks-get-peerings-ACTIVE-gke.json';
import snNetwork from '../../fixtures/gcp/gcp-compute-networks-get-peering-ACTIVE-servicenetworking.json';
import routeList from '../../fixtures/gcp/gcp-compute-routes-list-with-peering-route.json';
import { checkSchema, computeMethods } from './gcp-model';
import { runningClock } from '../../support/clock';
import { startRecorder, type Exchange } from './recorder';

// Issue 14: every Compute call the GCP adapter makes, and every answer the emulator gives it, checked against
// the Compute v1 discovery document as @googleapis/compute 42 generated it (schemas and HTTP methods).
const hub: NetworkRef = { cloud: 'gcp', account: 'hub-prj', region: 'global', id: 'hub' };
const spoke: NetworkRef = { cloud: 'gcp', account: 'spoke-prj', region: 'global', id: 'spoke' };
const base = { cloud: 'gcp' as const, reason: 'contract' };
const handle = { requester: hub, accepter: spoke };

/** The request and response schema of each call, by Compute method path (after `/compute/v1/projects/{project}`). */
const CALLS: { call: string; method: string; pattern: RegExp; request?: string; response?: string }[] = [
  { call: 'networks.list', method: 'GET', pattern: /^\/global\/networks$/, response: 'NetworkList' },
  { call: 'networks.get', method: 'GET', pattern: /^\/global\/networks\/[^/]+$/, response: 'Network' },
  {
    call: 'networks.addPeering',
    method: 'POST',
    pattern: /^\/global\/networks\/[^/]+\/addPeering$/,
    request: 'NetworksAddPeeringRequest',
    response: 'Operation',
  },
  {
    call: 'networks.updatePeering',
    method: 'PATCH',
    pattern: /^\/global\/networks\/[^/]+\/updatePeering$/,
    request: 'NetworksUpdatePeeringRequest',
    response: 'Operation',
  },
  {
    call: 'networks.removePeering',
    method: 'POST',
    pattern: /^\/global\/networks\/[^/]+\/removePeering$/,
    request: 'NetworksRemovePeeringRequest',
    response: 'Operation',
  },
  {
    call: 'networks.requestRemovePeering',
    method: 'POST',
    pattern: /^\/global\/networks\/[^/]+\/requestRemovePeering$/,
    request: 'NetworksRequestRemovePeeringRequest',
    response: 'Operation',
  },
  {
    call: 'subnetworks.aggregatedList',
    method: 'GET',
    pattern: /^\/aggregated\/subnetworks$/,
    response: 'SubnetworkAggregatedList',
  },
  { call: 'routes.list', method: 'GET', pattern: /^\/global\/routes$/, response: 'RouteList' },
  { call: 'routes.insert', method: 'POST', pattern: /^\/global\/routes$/, request: 'Route', response: 'Operation' },
  { call: 'routes.delete', method: 'DELETE', pattern: /^\/global\/routes\/[^/]+$/, response: 'Operation' },
  {
    call: 'globalOperations.wait',
    method: 'POST',
    pattern: /^\/global\/operations\/[^/]+\/wait$/,
    response: 'Operation',
  },
];
const COMPUTE = /^\/compute\/v1\/projects\/[^/]+/;

describe('GCP calls against the Compute v1 discovery model', () => {
  // A fixed date shared by emulator and adapter (operations finish in real milliseconds); deadlines stay elapsed-time budgets.
  const clock = runningClock();
  let em: GcpEmulator;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  beforeAll(async () => {
    em = await startGcpEmulator({ waitTimeoutMs: 200, now: clock.now });
    em.state.timing.pendingMs = 1;
    em.state.timing.runningMs = 2;
    recorder = await startRecorder(em.url);
    for (const [project, network, v4, v6] of [
      ['hub-prj', 'hub', '10.0.0.0/20', 'fd20:a::/64'],
      ['spoke-prj', 'spoke', '10.16.0.0/20', 'fd20:b::/64'],
    ] as const) {
      em.state.createProject({ id: project });
      em.state.createNetwork({ project, name: network });
      em.state.createSubnetwork({
        project,
        region: 'europe-west1',
        network,
        name: `${network}-a`,
        ipCidrRange: v4,
        ipv6CidrRange: v6,
      });
    }
    em.state.createNetwork({ project: 'hub-prj', name: 'consensus' });
    em.state.addPeeringHalf({
      project: 'hub-prj',
      network: 'consensus',
      name: 'c',
      peerProject: 'spoke-prj',
      peerNetwork: 'spoke',
      updateStrategy: 'CONSENSUS',
    });
    em.state.addPeeringHalf({
      project: 'spoke-prj',
      network: 'spoke',
      name: 'c',
      peerProject: 'hub-prj',
      peerNetwork: 'consensus',
      updateStrategy: 'CONSENSUS',
    });
    em.state.addRoute({
      project: 'hub-prj',
      network: 'hub',
      name: 'onprem',
      destRange: '192.168.0.0/16',
      nextHop: { nextHopIp: '10.0.0.5' },
    });
    const policy = PolicySchema.parse({
      version: 1,
      groups: { all: { cloud: 'gcp', account: ['hub-prj', 'spoke-prj'] } },
    });
    const adapter = createGcpProvider(
      policy,
      { PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${recorder.url}/compute/v1`, CLOUDSDK_CONFIG: '/nonexistent' },
      { attempts: 2, baseMs: 1, maxMs: 2 },
    );
    const ctx = { now: clock.now(), resolvePeeringId: () => undefined, deadline: Date.now() + 10_000 };
    const slot = { network: hub, routeTableId: 'routes', destination: '172.16.0.0/12' };
    const actions: Action[] = [
      { ...base, action: 'create-peering', target: handle, after: { options: { stackType: 'IPV4_IPV6' }, tags: {} } },
      { ...base, action: 'accept-peering', target: handle, after: { options: { stackType: 'IPV4_IPV6' }, tags: {} } },
      { ...base, action: 'update-peering', target: handle, before: {}, after: { exportCustomRoutes: true } },
      {
        ...base,
        action: 'create-route',
        target: slot,
        after: { kind: 'other', id: 'gateway:projects/hub-prj/global/gateways/default-internet-gateway' },
      },
      {
        ...base,
        action: 'delete-route',
        target: slot,
        before: {
          destination: slot.destination,
          origin: 'static',
          target: { kind: 'other', id: 'gateway:projects/hub-prj/global/gateways/default-internet-gateway' },
        },
      },
      {
        ...base,
        action: 'delete-peering',
        target: { requester: { ...hub, id: 'consensus' }, accepter: spoke },
        before: {
          id: 'x',
          cloud: 'gcp',
          requester: { ...hub, id: 'consensus' },
          accepter: spoke,
          state: 'active',
          options: {},
          tags: {},
        },
      },
      {
        ...base,
        action: 'delete-peering',
        target: handle,
        before: { id: 'y', cloud: 'gcp', requester: hub, accepter: spoke, state: 'active', options: {}, tags: {} },
      },
    ];
    await adapter.observe([
      { cloud: 'gcp', account: 'hub-prj' },
      { cloud: 'gcp', account: 'spoke-prj' },
    ]);
    for (const action of actions) {
      await adapter.apply(action, ctx);
      if (action.action === 'accept-peering')
        await adapter.observe([
          { cloud: 'gcp', account: 'hub-prj' },
          { cloud: 'gcp', account: 'spoke-prj' },
        ]);
    }
  });
  afterAll(async () => {
    await recorder.close();
    await em.close();
  });

  const compute = (): (Exchange & { rest: string })[] =>
    recorder.exchanges.filter((e) => COMPUTE.test(e.path)).map((e) => ({ ...e, rest: e.path.replace(COMPUTE, '') }));
  const modelOf = (e: { method: string; rest: string }) =>
    CALLS.find((c) => c.method === e.method && c.pattern.test(e.rest));

  it('knows the model of every Compute call the adapter made, and made every call it knows', () => {
    expect(
      compute()
        .filter((e) => !modelOf(e))
        .map((e) => `${e.method} ${e.path}`),
    ).toEqual([]);
    expect([...new Set(compute().map((e) => modelOf(e)!.call))].sort()).toEqual(CALLS.map((c) => c.call).sort());
  });

  it('uses the HTTP method the discovery document gives each path (updatePeering is PATCH)', () => {
    const methods = [...computeMethods().values()];
    const wrong = compute()
      .filter((e) => !methods.some((m) => m.method === e.method && m.path.test(e.path)))
      .map((e) => `${e.method} ${e.path}`);
    expect(wrong).toEqual([]);
    expect(methods.find((m) => m.template.endsWith('/updatePeering'))?.method).toBe('PATCH');
  });

  it('sends request bodies the model accepts', () => {
    const problems = compute().flatMap((e) => {
      const m = modelOf(e);
      return m?.request ? checkSchema(m.request, e.requestBody, `${e.method} ${e.path}`) : [];
    });
    expect(problems).toEqual([]);
  });

  it('gets response bodies from the emulator that the model accepts', () => {
    const problems = compute()
      .filter((e) => e.status < 400)
      .flatMap((e) => {
        const m = modelOf(e);
        return m?.response ? checkSchema(m.response, e.responseBody, `${e.method} ${e.path}`) : [];
      });
    expect(problems).toEqual([]);
  });

  it("accepts Google's own example responses, so the checker is neither too loose nor too strict", () => {
    expect([
      ...checkSchema('Network', gkeNetwork),
      ...checkSchema('Network', snNetwork),
      ...checkSchema('RouteList', routeList),
    ]).toEqual([]);
  });

  it('catches a misspelled field and a misspelled enum value, as mutations of real bodies show', () => {
    const add = compute().find((e) => modelOf(e)?.call === 'networks.addPeering')!;
    const body = add.requestBody as { networkPeering: Record<string, unknown> };
    expect(body.networkPeering.stackType).toBe('IPV4_IPV6');
    expect(
      checkSchema('NetworksAddPeeringRequest', { networkPeering: { ...body.networkPeering, exportCustomRoute: true } }),
    ).toEqual(['NetworksAddPeeringRequest.networkPeering.exportCustomRoute: unknown to the model']);
    expect(
      checkSchema('NetworksAddPeeringRequest', { networkPeering: { ...body.networkPeering, stackType: 'IPV4V6' } }),
    ).toEqual([expect.stringContaining("'IPV4V6' is not one of IPV4_ONLY, IPV4_IPV6")]);
  });
});
