import { MalformedEventError } from '../../../shared/errors';
import { normalizeAzureEvent } from '../../../shared/events/azure';
import { startAzureEmulator } from '../../../infra/local/azure';
import { expectWork, loadFixture, type Json } from '../fixtures';

// Virtual WAN events (issue 17): a hub connection or hub route table changed → re-read the hub's subscription.
const SUB = '7A1B2C3D-0000-4000-8000-00000000AB12';
const HUB = `/subscriptions/${SUB}/resourceGroups/Wan-RG/providers/Microsoft.Network/virtualHubs/Hub-WEU`;
const PEERKEEPER_OID = '9f2e0000-0000-4000-8000-0000000000aa';
const opts = { identities: [PEERKEEPER_OID] };
const hubAccount = { kind: 'account', cloud: 'azure', account: SUB.toLowerCase(), region: '*' };

/** The vendor Event Grid example, re-pointed at a Virtual WAN operation and resource. */
function armEvent(operationName: string, resourceUri: string, fixture: string): Json {
  const [event] = loadFixture(fixture) as unknown as Json[];
  Object.assign(event!.data, { operationName, resourceUri, subscriptionId: SUB });
  event!.data.authorization.action = operationName;
  event!.subject = resourceUri;
  return event!;
}
const WRITE = 'azure-eventgrid-ResourceWriteSuccess-egschema.json';
const DELETE = 'azure-eventgrid-ResourceDeleteSuccess-egschema.json';
const DELETE_CLOUDEVENT = 'azure-eventgrid-ResourceDeleteSuccess-cloudevents.json';

describe('normalizeAzureEvent: Virtual WAN', () => {
  const cases: Record<string, { event: Json; kind: string }> = {
    'hub connection written (someone attached or re-routed a VNet)': {
      event: armEvent(
        'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write',
        `${HUB}/hubVirtualNetworkConnections/conn-spoke`,
        WRITE,
      ),
      kind: 'peering',
    },
    'hub connection deleted (CloudEvents schema)': {
      event: armEvent(
        'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/delete',
        `${HUB}/hubVirtualNetworkConnections/peerkeeper-spoke`,
        DELETE_CLOUDEVENT,
      ),
      kind: 'peering',
    },
    'hub route table written (a static route or a label)': {
      event: armEvent('Microsoft.Network/virtualHubs/hubRouteTables/write', `${HUB}/hubRouteTables/spokes`, WRITE),
      kind: 'route',
    },
    'hub route table deleted': {
      event: armEvent('Microsoft.Network/virtualHubs/hubRouteTables/delete', `${HUB}/hubRouteTables/spokes`, DELETE),
      kind: 'route',
    },
  };

  it.each(Object.entries(cases))('%s → the hub subscription, every region', (_name, { event, kind }) => {
    const trigger = expectWork(normalizeAzureEvent(event, opts));
    expect(trigger.scope).toEqual(hubAccount);
    expect(trigger.kind).toBe(kind);
    expect(trigger.source).toBe(event.data.operationName);
  });

  it("produces no work for peerkeeper's own connection writes", () => {
    const event = armEvent(
      'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write',
      `${HUB}/hubVirtualNetworkConnections/peerkeeper-spoke`,
      WRITE,
    );
    event.data.authorization.evidence.principalId = PEERKEEPER_OID;
    const result = normalizeAzureEvent(event, opts);
    expect(result.kind).toBe('ignore');
  });

  it('does not watch the hub itself or its other children', () => {
    for (const [operation, uri] of [
      ['Microsoft.Network/virtualHubs/write', HUB],
      ['Microsoft.Network/virtualHubs/bgpConnections/write', `${HUB}/bgpConnections/b`],
      ['Microsoft.Network/virtualWans/write', HUB.replace('virtualHubs/Hub-WEU', 'virtualWans/wan')],
    ] as const)
      expect(normalizeAzureEvent(armEvent(operation, uri, WRITE), opts).kind).toBe('ignore');
  });

  it('refuses a connection event naming a resource that is not under a virtual hub', () => {
    const event = armEvent(
      'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write',
      `/subscriptions/${SUB}/resourceGroups/Wan-RG/providers/Microsoft.Network/virtualNetworks/v/subnets/s`,
      WRITE,
    );
    expect(() => normalizeAzureEvent(event, opts)).toThrow(MalformedEventError);
  });

  it("normalizes the emulator's own events for a connection PUT and DELETE the same way", async () => {
    const emu = await startAzureEmulator({ now: () => new Date('2026-11-20T12:00:00Z') });
    try {
      const sub = SUB.toLowerCase();
      const wan = emu.state.wan.createVirtualWan({
        subscription: sub,
        resourceGroup: 'wan',
        name: 'w',
        location: 'westeurope',
      });
      const hub = emu.state.wan.createVirtualHub({
        subscription: sub,
        resourceGroup: 'wan',
        name: 'hub',
        location: 'westeurope',
        virtualWanId: wan.id,
        addressPrefix: '10.100.0.0/23',
      });
      const vnet = emu.state.createVnet({
        subscription: sub,
        resourceGroup: 'net',
        name: 'spoke',
        location: 'westeurope',
        addressPrefixes: ['10.1.0.0/16'],
      }).record;
      emu.state.lroPolls = 0;
      const url = `${emu.url}${hub.id}/hubVirtualNetworkConnections/conn?api-version=2024-05-01`;
      const headers = { authorization: 'Bearer t', 'content-type': 'application/json' };
      const body = JSON.stringify({ properties: { remoteVirtualNetwork: { id: vnet.id } } });
      expect((await fetch(url, { method: 'PUT', headers, body })).status).toBe(201);
      expect((await fetch(url, { method: 'DELETE', headers })).status).toBe(202);
      expect(emu.events.map((e) => [e.eventType, e.data.operationName])).toEqual([
        [
          'Microsoft.Resources.ResourceWriteSuccess',
          'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write',
        ],
        [
          'Microsoft.Resources.ResourceDeleteSuccess',
          'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/delete',
        ],
      ]);
      for (const event of emu.events)
        expect(expectWork(normalizeAzureEvent(event, { identities: [] })).scope).toEqual({
          ...hubAccount,
          account: sub,
        });
    } finally {
      await emu.close();
    }
  });
});
