import { startGcpEmulator, type GcpEmulator } from '../../../infra/local/gcp';
import type { Action, NetworkRef, TransitHubRef } from '../../../shared/model';
import {
  anonymous,
  ComputeClient,
  GcpPeeringAdapter,
  readAutoAccept,
  writeAutoAccept,
} from '../../../shared/providers/gcp';
import { runningClock } from '../../support/clock';
import { checkNccAny, checkNccSchema, NCC_QUERY } from './gcp-ncc-model';
import { startRecorder, type Exchange } from './recorder';

// Issue 17: every Network Connectivity call the GCP adapter makes, and every answer the emulator gives it, checked
// against the networkconnectivity v1 discovery document (schemas as the generated typings have them, enums and
// HTTP methods as the document lists them).
const HUB: TransitHubRef = {
  cloud: 'gcp',
  account: 'hub-prj',
  region: 'global',
  id: 'projects/hub-prj/locations/global/hubs/core',
};
const net = (account: string, id: string): NetworkRef => ({ cloud: 'gcp', account, region: 'global', id });
const SPOKE = net('spoke-prj', 'spoke');
const base = { cloud: 'gcp' as const, reason: 'contract' };
const TAGS = { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'contract' };
const routing = (association: string, exclude?: string[]) => ({
  association,
  propagations: [],
  ...(exclude ? { exportFilters: { exclude } } : {}),
});

const H = 'projects/[^/]+/locations/global/hubs/[^/:]+';
/** Each method's HTTP verb and path (after /networkconnectivity/v1/), request and response schema. */
const CALLS: { call: string; method: string; pattern: RegExp; query: string; request?: string; response: string }[] = [
  {
    call: 'hubs.list',
    method: 'GET',
    pattern: /^projects\/[^/]+\/locations\/global\/hubs$/,
    query: 'list',
    response: 'ListHubsResponse',
  },
  {
    call: 'hubs.listSpokes',
    method: 'GET',
    pattern: new RegExp(`^${H}:listSpokes$`),
    query: 'hubs.listSpokes',
    response: 'ListHubSpokesResponse',
  },
  {
    call: 'hubs.acceptSpoke',
    method: 'POST',
    pattern: new RegExp(`^${H}:acceptSpoke$`),
    query: 'write',
    request: 'AcceptHubSpokeRequest',
    response: 'GoogleLongrunningOperation',
  },
  {
    call: 'hubs.rejectSpoke',
    method: 'POST',
    pattern: new RegExp(`^${H}:rejectSpoke$`),
    query: 'write',
    request: 'RejectHubSpokeRequest',
    response: 'GoogleLongrunningOperation',
  },
  {
    call: 'hubs.groups.list',
    method: 'GET',
    pattern: new RegExp(`^${H}/groups$`),
    query: 'list',
    response: 'ListGroupsResponse',
  },
  {
    call: 'hubs.groups.get',
    method: 'GET',
    pattern: new RegExp(`^${H}/groups/[^/]+$`),
    query: 'write',
    response: 'Group',
  },
  {
    call: 'hubs.groups.patch',
    method: 'PATCH',
    pattern: new RegExp(`^${H}/groups/[^/]+$`),
    query: 'patch',
    request: 'Group',
    response: 'GoogleLongrunningOperation',
  },
  {
    call: 'hubs.routeTables.routes.list',
    method: 'GET',
    pattern: new RegExp(`^${H}/routeTables/[^/]+/routes$`),
    query: 'list',
    response: 'ListRoutesResponse',
  },
  {
    call: 'spokes.list',
    method: 'GET',
    pattern: /^projects\/[^/]+\/locations\/[^/]+\/spokes$/,
    query: 'list',
    response: 'ListSpokesResponse',
  },
  {
    call: 'spokes.create',
    method: 'POST',
    pattern: /^projects\/[^/]+\/locations\/[^/]+\/spokes$/,
    query: 'spokes.create',
    request: 'Spoke',
    response: 'GoogleLongrunningOperation',
  },
  {
    call: 'spokes.get',
    method: 'GET',
    pattern: /^projects\/[^/]+\/locations\/[^/]+\/spokes\/[^/]+$/,
    query: 'write',
    response: 'Spoke',
  },
  {
    call: 'spokes.patch',
    method: 'PATCH',
    pattern: /^projects\/[^/]+\/locations\/[^/]+\/spokes\/[^/]+$/,
    query: 'patch',
    request: 'Spoke',
    response: 'GoogleLongrunningOperation',
  },
  {
    call: 'spokes.delete',
    method: 'DELETE',
    pattern: /^projects\/[^/]+\/locations\/[^/]+\/spokes\/[^/]+$/,
    query: 'write',
    response: 'GoogleLongrunningOperation',
  },
  {
    call: 'operations.get',
    method: 'GET',
    pattern: /^projects\/[^/]+\/locations\/[^/]+\/operations\/[^/]+$/,
    query: 'write',
    response: 'GoogleLongrunningOperation',
  },
];
const NCC = /^\/networkconnectivity\/v1\//;

describe('GCP Network Connectivity calls against the v1 discovery model', () => {
  const clock = runningClock();
  let em: GcpEmulator;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  beforeAll(async () => {
    em = await startGcpEmulator({ waitTimeoutMs: 200, now: clock.now });
    em.state.timing.pendingMs = 1;
    em.state.timing.runningMs = 2;
    recorder = await startRecorder(em.url);
    for (const [project, network, cidr] of [
      ['spoke-prj', 'spoke', '10.16.0.0/20'],
      ['spoke-prj', 'console', '10.17.0.0/20'],
      ['hub-prj', 'local', '10.18.0.0/20'],
    ] as const) {
      em.state.createNetwork({ project, name: network });
      em.state.createSubnetwork({
        project,
        region: 'europe-west1',
        network,
        name: `${network}-a`,
        ipCidrRange: cidr,
        secondaryIpRanges: [{ rangeName: 'pods', ipCidrRange: cidr.replace('/20', '/24').replace('.0.0/', '.8.0/') }],
      });
    }
    em.state.ncc.createHub({ project: 'hub-prj', name: 'core', groups: ['default', 'center'] });
    em.state.ncc.seedSpoke({
      project: 'spoke-prj',
      name: 'console',
      hub: HUB.id,
      network: { project: 'spoke-prj', network: 'console' },
      state: 'PENDING_REVIEW',
    });
    const vpn = em.state.ncc.seedSpoke({
      project: 'hub-prj',
      name: 'onprem',
      hub: HUB.id,
      hybrid: {
        kind: 'vpn',
        region: 'europe-west1',
        uris: ['https://www.googleapis.com/compute/v1/projects/hub-prj/regions/europe-west1/vpnTunnels/t1'],
        vpcNetwork: 'https://www.googleapis.com/compute/v1/projects/hub-prj/global/networks/local',
      },
    });
    em.state.ncc.addHybridRoute({
      hub: HUB.id,
      routeTable: 'default',
      ipCidrRange: '192.168.0.0/16',
      spoke: `projects/hub-prj/locations/europe-west1/spokes/${vpn.name}`,
    });
    const client = new ComputeClient({
      endpoint: `${recorder.url}/compute/v1`,
      resourceManagerEndpoint: `${recorder.url}/v1`,
      auth: anonymous,
      retry: { attempts: 2, baseMs: 1, maxMs: 2 },
      operationPollMs: 2,
    });
    const adapter = new GcpPeeringAdapter({ client, projects: ['hub-prj', 'spoke-prj'] });
    const ctx = { now: clock.now(), resolvePeeringId: () => undefined, deadline: Date.now() + 10_000 };
    const partitions = [
      { cloud: 'gcp' as const, account: 'hub-prj' },
      { cloud: 'gcp' as const, account: 'spoke-prj' },
    ];
    await adapter.observe(partitions);
    const created = await adapter.apply(
      {
        ...base,
        action: 'create-attachment',
        target: { hub: HUB, network: SPOKE },
        after: { routing: routing('default'), tags: TAGS },
      },
      ctx,
    );
    const id = created.peeringId!;
    const target = { id, hub: HUB, network: SPOKE };
    const actions: Action[] = [
      { ...base, action: 'accept-attachment', target, after: { routing: routing('default'), tags: TAGS } },
      {
        ...base,
        action: 'update-attachment',
        target,
        before: routing('default'),
        after: routing('center', ['10.16.4.0/24']),
      },
      {
        ...base,
        action: 'reject-attachment',
        target: {
          id: 'projects/spoke-prj/locations/global/spokes/console',
          hub: HUB,
          network: net('spoke-prj', 'console'),
        },
      },
    ];
    for (const action of actions) await adapter.apply(action, ctx);
    await adapter.observe(partitions);
    await writeAutoAccept(client, HUB, 'default', ['spoke-prj'], ctx.deadline);
    await readAutoAccept(client, HUB, 'default');
    const seen = await adapter.observe(partitions);
    await adapter.apply(
      { ...base, action: 'delete-attachment', target, before: seen.attachments!.find((a) => a.id === id)! },
      ctx,
    );
  });
  afterAll(async () => {
    await recorder.close();
    await em.close();
  });

  const ncc = (): (Exchange & { rest: string })[] =>
    recorder.exchanges.filter((e) => NCC.test(e.path)).map((e) => ({ ...e, rest: e.path.replace(NCC, '') }));
  const modelOf = (e: { method: string; rest: string }) =>
    CALLS.find((c) => c.method === e.method && c.pattern.test(e.rest));

  it('knows the model of every NCC call the adapter made, and made every call it knows', () => {
    expect(
      ncc()
        .filter((e) => !modelOf(e))
        .map((e) => `${e.method} ${e.path}`),
    ).toEqual([]);
    expect([...new Set(ncc().map((e) => modelOf(e)!.call))].sort()).toEqual(CALLS.map((c) => c.call).sort());
  });

  it('sends only the query parameters each method has, with enum values the document lists', () => {
    const problems = ncc().flatMap((e) => {
      const spec = NCC_QUERY[modelOf(e)!.query]!;
      return [...e.query.entries()].flatMap(([k, v]) =>
        !spec.names.includes(k)
          ? [`${e.method} ${e.path}: unknown parameter ${k}`]
          : spec.enums?.[k] && !spec.enums[k]!.includes(v)
            ? [`${e.method} ${e.path}: ${k}=${v}`]
            : [],
      );
    });
    expect(problems).toEqual([]);
    expect(ncc().some((e) => e.query.get('view') === 'DETAILED')).toBe(true);
  });

  it('sends request bodies the model accepts', () => {
    const problems = ncc().flatMap((e) => {
      const m = modelOf(e)!;
      return m.request ? checkNccSchema(m.request, e.requestBody, `${e.method} ${e.path}`) : [];
    });
    expect(problems).toEqual([]);
  });

  it('gets response bodies (and operation payloads) from the emulator that the model accepts', () => {
    const answered = ncc().filter((e) => e.status < 400);
    const problems = answered.flatMap((e) => {
      const m = modelOf(e)!;
      const at = `${e.method} ${e.path}`;
      const body = e.responseBody as { metadata?: unknown; response?: unknown };
      return [
        ...checkNccSchema(m.response, e.responseBody, at),
        ...(m.response === 'GoogleLongrunningOperation'
          ? [
              ...checkNccAny(body.metadata, `${at}.metadata`),
              ...(body.response !== undefined ? checkNccAny(body.response, `${at}.response`) : []),
            ]
          : []),
      ];
    });
    expect(problems).toEqual([]);
    // The bodies checked cover what the adapter reads: spokes in three states, routes of two types, groups, hubs.
    const text = JSON.stringify(answered.map((e) => e.responseBody));
    for (const word of [
      'PENDING_REVIEW',
      'REJECTED',
      'VPC_PRIMARY_SUBNET',
      'VPC_SECONDARY_SUBNET',
      'DYNAMIC_ROUTE',
      'autoAcceptProjects',
      'excludeExportRanges',
    ])
      expect(text).toContain(word);
  });

  it('catches a misspelled field and an unknown enum value, as mutations of real bodies show', () => {
    const create = ncc().find((e) => modelOf(e)?.call === 'spokes.create')!;
    const body = create.requestBody as { linkedVpcNetwork: Record<string, unknown> };
    expect(
      checkNccSchema('Spoke', { ...body, linkedVpcNetwork: { ...body.linkedVpcNetwork, excludeExportRange: [] } }),
    ).toEqual(['Spoke.linkedVpcNetwork.excludeExportRange: unknown to the model']);
    const get = ncc().find((e) => modelOf(e)?.call === 'spokes.get')!;
    expect(checkNccSchema('Spoke', { ...(get.responseBody as object), state: 'PENDING' })).toEqual([
      expect.stringContaining("'PENDING' is not one of"),
    ]);
    expect(checkNccSchema('Spoke', { ...(get.responseBody as object), labels: { a: 1 } })).toEqual([
      'Spoke.labels.a: 1 is not a string',
    ]);
  });
});
