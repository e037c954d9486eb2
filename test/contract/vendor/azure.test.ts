import { startAzureEmulator, type AzureEmulator } from '../../../infra/local/azure';
import type { Action, NetworkRef } from '../../../shared/model';
import { AzurePeeringAdapter } from '../../../shared/providers/azure';
import peeringCreate from '../../infra/local/azure/fixtures/azure-arm-VirtualNetworkPeeringCreate-2024-07-01.json';
import peeringList from '../../infra/local/azure/fixtures/azure-arm-VirtualNetworkPeeringList-2024-07-01.json';
import routeTableGet from '../../infra/local/azure/fixtures/azure-arm-RouteTableGet-2024-05-01.json';
import { checkBody } from './azure-model';
import { runningClock } from '../../support/clock';
import { startRecorder, type Exchange } from './recorder';

// Issue 14: every Azure call the adapter makes, and every answer the emulator gives it, checked against the
// vendor's generated model (@azure/arm-network 36's mappers, compiled from the Microsoft.Network swagger).
const S1 = '11111111-1111-4111-8111-111111111111';
const vnet = (name: string): string =>
  `/subscriptions/${S1}/resourceGroups/Net/providers/Microsoft.Network/virtualNetworks/${name}`;
const HUB = vnet('Hub');
const SPOKE = vnet('Spoke');
const RT = `/subscriptions/${S1}/resourceGroups/Net/providers/Microsoft.Network/routeTables/spoke-rt`;
const ref = (id: string): NetworkRef => ({ cloud: 'azure', account: S1, region: 'westeurope', id: id.toLowerCase() });
const base = { cloud: 'azure' as const, reason: 'contract' };
const handle = { requester: ref(HUB), accepter: ref(SPOKE) };

/** Which model each call's bodies follow; `undefined` = no body that way. Keyed `METHOD path-shape`. */
interface CallModel {
  call: string;
  pattern: RegExp;
  method: string;
  request?: string;
  response?: string;
}
const N = '/subscriptions/[^/]+/(?:resourcegroups/[^/]+/)?providers/microsoft\\.network';
const CALLS: CallModel[] = [
  {
    call: 'virtualNetworks.list',
    method: 'GET',
    pattern: new RegExp(`^${N}/virtualnetworks$`, 'i'),
    response: 'VirtualNetworkListResult',
  },
  {
    call: 'virtualNetworks.get',
    method: 'GET',
    pattern: new RegExp(`^${N}/virtualnetworks/[^/]+$`, 'i'),
    response: 'VirtualNetwork',
  },
  {
    call: 'virtualNetworkPeerings.createOrUpdate',
    method: 'PUT',
    pattern: new RegExp(`^${N}/virtualnetworks/[^/]+/virtualnetworkpeerings/[^/]+$`, 'i'),
    request: 'VirtualNetworkPeering',
    response: 'VirtualNetworkPeering',
  },
  {
    call: 'virtualNetworkPeerings.delete',
    method: 'DELETE',
    pattern: new RegExp(`^${N}/virtualnetworks/[^/]+/virtualnetworkpeerings/[^/]+$`, 'i'),
  },
  {
    call: 'routeTables.list',
    method: 'GET',
    pattern: new RegExp(`^${N}/routetables$`, 'i'),
    response: 'RouteTableListResult',
  },
  {
    call: 'routeTables.get',
    method: 'GET',
    pattern: new RegExp(`^${N}/routetables/[^/]+$`, 'i'),
    response: 'RouteTable',
  },
  {
    call: 'routes.createOrUpdate',
    method: 'PUT',
    pattern: new RegExp(`^${N}/routetables/[^/]+/routes/[^/]+$`, 'i'),
    request: 'Route',
    response: 'Route',
  },
  { call: 'routes.delete', method: 'DELETE', pattern: new RegExp(`^${N}/routetables/[^/]+/routes/[^/]+$`, 'i') },
  {
    call: 'Azure-AsyncOperation poll',
    method: 'GET',
    pattern: new RegExp(`^${N}/locations/[^/]+/operations/[^/]+$`, 'i'),
    response: 'AzureAsyncOperationResult',
  },
  { call: 'Location poll', method: 'GET', pattern: new RegExp(`^${N}/locations/[^/]+/operationresults/[^/]+$`, 'i') },
];
/** Calls outside Microsoft.Network: @azure/arm-network does not model them (checked against the fixtures instead). */
const OUTSIDE_NETWORK = [
  /^\/subscriptions$/i,
  /^\/providers\/microsoft\.management\/managementgroups\/[^/]+\/descendants$/i,
];

describe("Azure calls against @azure/arm-network's model", () => {
  // A fixed date shared by emulator and adapter; deadlines stay elapsed-time budgets.
  const clock = runningClock();
  let emu: AzureEmulator;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let adapter: AzurePeeringAdapter;
  beforeAll(async () => {
    emu = await startAzureEmulator({ now: clock.now });
    recorder = await startRecorder(emu.url);
    emu.state.createSubscription(S1, { managementGroup: 'mg-net' });
    for (const [name, cidr] of [
      ['Hub', '10.0.0.0/16'],
      ['Spoke', '10.1.0.0/16'],
    ] as const) {
      emu.state.createVnet({
        subscription: S1,
        resourceGroup: 'Net',
        name,
        location: 'westeurope',
        addressPrefixes: [cidr],
      });
    }
    emu.state.createRouteTable({ subscription: S1, resourceGroup: 'Net', name: 'spoke-rt', location: 'westeurope' });
    emu.state.associateSubnet({ vnetId: SPOKE, name: 'app', addressPrefix: '10.1.0.0/24', routeTableId: RT });
    adapter = new AzurePeeringAdapter({
      subscriptions: [S1],
      managementGroup: 'mg-net',
      endpoint: recorder.url,
      client: { sleep: async () => undefined },
    });
    const ctx = { now: clock.now(), resolvePeeringId: () => undefined, deadline: Date.now() + 30_000 };
    const slot = { network: ref(SPOKE), routeTableId: RT.toLowerCase(), destination: '10.0.0.0/16' };
    const via = (ip: string) => ({ kind: 'other' as const, id: `VirtualAppliance:${ip}` });
    const before = { destination: '10.0.0.0/16', target: via('10.1.0.4'), origin: 'static' as const };
    const actions: Action[] = [
      {
        ...base,
        action: 'create-peering',
        target: handle,
        after: { options: { allowForwardedTraffic: true }, tags: {} },
      },
      { ...base, action: 'accept-peering', target: handle, after: { options: {}, tags: {} } },
      { ...base, action: 'update-peering', target: handle, before: {}, after: { allowGatewayTransit: true } },
      { ...base, action: 'create-route', target: slot, after: via('10.1.0.4') },
      { ...base, action: 'replace-route', target: slot, before, after: via('10.1.0.5') },
      { ...base, action: 'delete-route', target: slot, before: { ...before, target: via('10.1.0.5') } },
      {
        ...base,
        action: 'delete-peering',
        target: handle,
        before: {
          id: 'x',
          cloud: 'azure',
          requester: ref(HUB),
          accepter: ref(SPOKE),
          state: 'active',
          options: {},
          tags: {},
        },
      },
    ];
    await adapter.partitions();
    await adapter.observe([{ cloud: 'azure', account: S1 }]);
    for (const action of actions) {
      await adapter.apply(action, ctx);
      if (action.action === 'update-peering') {
        emu.state.setAddressSpace(SPOKE, ['10.1.0.0/16', '10.9.0.0/16']);
        await adapter.apply({ ...action, after: {}, sync: true }, ctx);
      }
    }
    await adapter.observe([{ cloud: 'azure', account: S1 }]);
    // An error body too: a peering towards a VNet that does not exist.
    await adapter.client
      .request('PUT', `${HUB}/virtualNetworkPeerings/nowhere?api-version=2024-05-01`, Date.now() + 5_000, {
        properties: { remoteVirtualNetwork: { id: vnet('Missing') } },
      })
      .catch(() => undefined);
  });
  afterAll(async () => {
    await recorder.close();
    await emu.close();
  });

  const modelOf = (e: Exchange): CallModel | undefined =>
    CALLS.find((c) => c.method === e.method && c.pattern.test(e.path));

  it('knows the vendor model of every call the adapter made', () => {
    const unmapped = recorder.exchanges
      .filter((e) => !modelOf(e) && !OUTSIDE_NETWORK.some((p) => p.test(e.path)))
      .map((e) => `${e.method} ${e.path}`);
    expect(unmapped).toEqual([]);
    const made = new Set(recorder.exchanges.flatMap((e) => modelOf(e)?.call ?? []));
    expect([...made].sort()).toEqual(
      CALLS.map((c) => c.call)
        .filter((c) => c !== 'Location poll')
        .sort(),
    );
  });

  it('sends request bodies the model accepts: no unknown, read-only, mistyped or missing-required field', () => {
    const problems = recorder.exchanges.flatMap((e) => {
      const m = modelOf(e);
      return m?.request ? checkBody(m.request, e.requestBody, 'request', `${e.method} ${e.path}`) : [];
    });
    expect(problems).toEqual([]);
  });

  it('gets response bodies from the emulator that the model accepts, error bodies included', () => {
    const problems = recorder.exchanges.flatMap((e) => {
      const m = modelOf(e);
      if (e.status >= 400)
        return checkBody('CloudError', e.responseBody, 'response', `${e.method} ${e.path} → ${e.status}`);
      return m?.response && e.responseBody !== undefined
        ? checkBody(m.response, e.responseBody, 'response', `${e.method} ${e.path}`)
        : [];
    });
    expect(problems).toEqual([]);
    expect(recorder.exchanges.some((e) => e.status >= 400)).toBe(true);
  });

  it("accepts the vendor's own spec examples, so the checker is neither too loose nor too strict", () => {
    expect([
      ...checkBody('VirtualNetworkPeering', peeringCreate.parameters.VirtualNetworkPeeringParameters, 'request'),
      ...checkBody('VirtualNetworkPeering', peeringCreate.responses['200'].body, 'response'),
      ...checkBody('VirtualNetworkPeeringListResult', peeringList.responses['200'].body, 'response'),
      ...checkBody('RouteTable', routeTableGet.responses['200'].body, 'response'),
    ]).toEqual([]);
  });

  it('catches a misspelled field, as a mutation of a real body shows', () => {
    const put = recorder.exchanges.find((e) => modelOf(e)?.call === 'virtualNetworkPeerings.createOrUpdate')!;
    const body = put.requestBody as { properties: Record<string, unknown> };
    const misspelled = { ...body, properties: { ...body.properties, allowForwardedTrafic: true } };
    expect(checkBody('VirtualNetworkPeering', misspelled, 'request')).toEqual([
      'VirtualNetworkPeering.properties.allowForwardedTrafic: unknown to the model',
    ]);
    const wrongEnum = { properties: { remoteVirtualNetwork: { id: HUB }, peeringSyncLevel: 'InSync' } };
    expect(checkBody('VirtualNetworkPeering', wrongEnum, 'response')).toEqual([
      expect.stringContaining("'InSync' is not one of FullyInSync"),
    ]);
  });
});
