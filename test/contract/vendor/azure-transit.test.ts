import { startAzureEmulator, type AzureEmulator } from '../../../infra/local/azure';
import type { Action, Attachment, NetworkRef, TransitHubRef } from '../../../shared/model';
import { AzurePeeringAdapter } from '../../../shared/providers/azure';
import { checkBody } from './azure-model';
import { runningClock } from '../../support/clock';
import { startRecorder, type Exchange } from './recorder';

// Issue 17: every Virtual WAN call the adapter makes, and every answer the emulator gives, checked against the
// vendor's generated model (@azure/arm-network's mappers, compiled from the Microsoft.Network swagger).
const S1 = '11111111-1111-4111-8111-111111111111';
const NET = `/subscriptions/${S1}/resourceGroups/Net/providers/Microsoft.Network`;
const SPOKE = `${NET}/virtualNetworks/Spoke`;
const ref: NetworkRef = { cloud: 'azure', account: S1, region: 'westeurope', id: SPOKE.toLowerCase() };
const base = { cloud: 'azure' as const, reason: 'contract' };

interface CallModel {
  call: string;
  pattern: RegExp;
  method: string;
  request?: string;
  response?: string;
}
const N = '/subscriptions/[^/]+/(?:resourcegroups/[^/]+/)?providers/microsoft\\.network';
const HUB = `${N}/virtualhubs/[^/]+`;
const CALLS: CallModel[] = [
  {
    call: 'virtualHubs.list',
    method: 'GET',
    pattern: new RegExp(`^${N}/virtualhubs$`, 'i'),
    response: 'ListVirtualHubsResult',
  },
  {
    call: 'hubRouteTables.list',
    method: 'GET',
    pattern: new RegExp(`^${HUB}/hubroutetables$`, 'i'),
    response: 'ListHubRouteTablesResult',
  },
  {
    call: 'hubVirtualNetworkConnections.list',
    method: 'GET',
    pattern: new RegExp(`^${HUB}/hubvirtualnetworkconnections$`, 'i'),
    response: 'ListHubVirtualNetworkConnectionsResult',
  },
  {
    call: 'hubVirtualNetworkConnections.get',
    method: 'GET',
    pattern: new RegExp(`^${HUB}/hubvirtualnetworkconnections/[^/]+$`, 'i'),
    response: 'HubVirtualNetworkConnection',
  },
  {
    call: 'hubVirtualNetworkConnections.createOrUpdate',
    method: 'PUT',
    pattern: new RegExp(`^${HUB}/hubvirtualnetworkconnections/[^/]+$`, 'i'),
    request: 'HubVirtualNetworkConnection',
    response: 'HubVirtualNetworkConnection',
  },
  {
    call: 'hubVirtualNetworkConnections.delete',
    method: 'DELETE',
    pattern: new RegExp(`^${HUB}/hubvirtualnetworkconnections/[^/]+$`, 'i'),
  },
  {
    call: 'Azure-AsyncOperation poll',
    method: 'GET',
    pattern: new RegExp(`^${N}/locations/[^/]+/operations/[^/]+$`, 'i'),
    response: 'AzureAsyncOperationResult',
  },
  // Read alongside on every observe (checked in azure.test.ts; listed here so every call is accounted for).
  {
    call: 'virtualNetworks.list',
    method: 'GET',
    pattern: new RegExp(`^${N}/virtualnetworks$`, 'i'),
    response: 'VirtualNetworkListResult',
  },
  {
    call: 'routeTables.list',
    method: 'GET',
    pattern: new RegExp(`^${N}/routetables$`, 'i'),
    response: 'RouteTableListResult',
  },
];
const OUTSIDE_NETWORK = [/^\/subscriptions$/i];

describe("Azure Virtual WAN calls against @azure/arm-network's model", () => {
  const clock = runningClock();
  let emu: AzureEmulator;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let hubId = '';
  beforeAll(async () => {
    emu = await startAzureEmulator({ now: clock.now });
    recorder = await startRecorder(emu.url);
    emu.state.createSubscription(S1);
    emu.state.createVnet({
      subscription: S1,
      resourceGroup: 'Net',
      name: 'Spoke',
      location: 'westeurope',
      addressPrefixes: ['10.1.0.0/16'],
    });
    const wan = emu.state.wan.createVirtualWan({
      subscription: S1,
      resourceGroup: 'Net',
      name: 'wan',
      location: 'westeurope',
    });
    const hub = emu.state.wan.createVirtualHub({
      subscription: S1,
      resourceGroup: 'Net',
      name: 'hub',
      location: 'westeurope',
      virtualWanId: wan.id,
      addressPrefix: '10.100.0.0/23',
      vpnGatewayId: `${NET}/vpnGateways/hub-vpn`,
      expressRouteGatewayId: `${NET}/expressRouteGateways/hub-er`,
    });
    hubId = hub.id;
    emu.state.wan.putRouteTable(hub.id, 'spokes', {
      labels: ['spokes'],
      routes: [
        {
          name: 'fw',
          destinationType: 'CIDR',
          destinations: ['0.0.0.0/0'],
          nextHopType: 'ResourceId',
          nextHop: `${NET}/azureFirewalls/fw`,
        },
      ],
    });
    const adapter = new AzurePeeringAdapter({
      subscriptions: [S1],
      transitSubscriptions: [S1],
      endpoint: recorder.url,
      client: { sleep: async () => undefined },
    });
    const ctx = { now: clock.now(), resolvePeeringId: () => undefined, deadline: Date.now() + 30_000 };
    const hubRef: TransitHubRef = { cloud: 'azure', account: S1, region: 'westeurope', id: hub.id.toLowerCase() };
    const target = { hub: hubRef, network: ref };
    const routing = (t: string) => ({ association: t, propagations: [t] });
    const made = await adapter.apply(
      { ...base, action: 'create-attachment', target, after: { routing: routing('defaultRouteTable'), tags: {} } },
      ctx,
    );
    const id = made.peeringId!;
    const update: Action = {
      ...base,
      action: 'update-attachment',
      target: { ...target, id },
      before: routing('defaultRouteTable'),
      after: { ...routing('spokes'), labels: ['spokes'] },
    };
    await adapter.apply(update, ctx);
    const observed = await adapter.observe([{ cloud: 'azure', account: S1 }]);
    const before = observed.attachments!.find((a) => a.id === id) as Attachment;
    await adapter.apply({ ...base, action: 'delete-attachment', target: { ...target, id }, before }, ctx);
    // An error body too: a connection of a VNet that does not exist.
    await adapter.client
      .request('PUT', `${hub.id}/hubVirtualNetworkConnections/nowhere?api-version=2024-05-01`, Date.now() + 5_000, {
        properties: { remoteVirtualNetwork: { id: `${NET}/virtualNetworks/Missing` } },
      })
      .catch(() => undefined);
  });
  afterAll(async () => {
    await recorder.close();
    await emu.close();
  });

  const modelOf = (e: Exchange): CallModel | undefined =>
    CALLS.find((c) => c.method === e.method && c.pattern.test(e.path));

  it('knows the vendor model of every call the adapter made, and made each Virtual WAN call', () => {
    const unmapped = recorder.exchanges
      .filter((e) => !modelOf(e) && !OUTSIDE_NETWORK.some((p) => p.test(e.path)))
      .map((e) => `${e.method} ${e.path}`);
    expect(unmapped).toEqual([]);
    const made = new Set(recorder.exchanges.flatMap((e) => modelOf(e)?.call ?? []));
    expect([...made].sort()).toEqual(CALLS.map((c) => c.call).sort());
  });

  it('sends connection bodies the model accepts: no unknown, read-only or mistyped field', () => {
    const puts = recorder.exchanges.filter((e) => modelOf(e)?.request);
    expect(puts.length).toBeGreaterThanOrEqual(2);
    expect(
      puts.flatMap((e) => checkBody(modelOf(e)!.request!, e.requestBody, 'request', `${e.method} ${e.path}`)),
    ).toEqual([]);
  });

  it('gets response bodies the model accepts, error bodies included', () => {
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

  it('answers the calls the adapter does not make (hub GET, hub route table GET and PUT, Virtual WAN GET) in the model too', async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${emu.url}${path}?api-version=2024-05-01`, {
        method,
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return (await res.json()) as unknown;
    };
    const table = {
      properties: {
        labels: ['blue'],
        routes: [
          {
            name: 'r',
            destinationType: 'CIDR',
            destinations: ['10.9.0.0/16'],
            nextHopType: 'ResourceId',
            nextHop: `${NET}/azureFirewalls/fw`,
          },
        ],
      },
    };
    expect([
      ...checkBody('VirtualHub', await call('GET', hubId), 'response'),
      ...checkBody('HubRouteTable', await call('GET', `${hubId}/hubRouteTables/spokes`), 'response'),
      ...checkBody('HubRouteTable', table, 'request'),
      ...checkBody('HubRouteTable', await call('PUT', `${hubId}/hubRouteTables/blue`, table), 'response'),
      ...checkBody('VirtualWAN', await call('GET', `${NET}/virtualWans/wan`), 'response'),
    ]).toEqual([]);
  });

  it('catches a misspelled routing field, as a mutation of a real body shows', () => {
    const put = recorder.exchanges.find((e) => modelOf(e)?.call === 'hubVirtualNetworkConnections.createOrUpdate')!;
    const body = put.requestBody as { properties: { routingConfiguration: Record<string, unknown> } };
    const misspelled = {
      properties: {
        ...body.properties,
        routingConfiguration: { ...body.properties.routingConfiguration, associatedRoutetable: {} },
      },
    };
    expect(checkBody('HubVirtualNetworkConnection', misspelled, 'request')).toEqual([
      'HubVirtualNetworkConnection.properties.routingConfiguration.associatedRoutetable: unknown to the model',
    ]);
    const readOnly = { properties: { ...body.properties, provisioningState: 'Succeeded' } };
    expect(checkBody('HubVirtualNetworkConnection', readOnly, 'request')).toEqual([
      expect.stringContaining('provisioningState: read-only'),
    ]);
  });
});
