import { startAzureEmulator } from '../../infra/local/azure';
import type { TransitHubRef } from '../../shared/model';
import { AzurePeeringAdapter } from '../../shared/providers/azure';
import { runningClock } from '../support/clock';
import { transitContract } from './transit-contract';

const HUB_SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const SPOKE_SUB = '0b1f6471-1bf0-4dda-aec3-222222222222';
const LOCATION = 'westeurope';
const FIREWALL = `/subscriptions/${HUB_SUB}/resourceGroups/wan/providers/Microsoft.Network/azureFirewalls/hub-fw`;

// The real Azure adapter (its ARM client over core-rest-pipeline) against the ARM emulator's Virtual WAN subset.
transitContract('Azure adapter against the ARM emulator (Virtual WAN hub connections)', async () => {
  const clock = runningClock();
  const emu = await startAzureEmulator({ now: clock.now });
  for (const sub of [HUB_SUB, SPOKE_SUB]) emu.state.createSubscription(sub, { displayName: `sub-${sub.slice(-4)}` });
  const provider = new AzurePeeringAdapter({
    subscriptions: [HUB_SUB, SPOKE_SUB],
    transitSubscriptions: [HUB_SUB],
    endpoint: emu.url,
    client: { sleep: async () => undefined },
  });
  const wan = emu.state.wan;
  /** The emulator's hub and connection records behind a model ref and an attachment id. */
  const connectionOf = (hub: TransitHubRef, attachmentId: string) => {
    const record = wan.requireHub(hub.id);
    const connection = [...record.connections.values()].find(
      (c) => `${record.id}/hubVirtualNetworkConnections/${c.name}`.toLowerCase() === attachmentId.toLowerCase(),
    );
    if (!connection) throw new Error(`no connection ${attachmentId} on ${hub.id}`);
    return { record, connection };
  };
  const tableId = (hubId: string, name: string) => `${hubId}/hubRouteTables/${name}`;
  return {
    cloud: 'azure',
    provider,
    hubAccount: HUB_SUB,
    spokeAccount: SPOKE_SUB,
    acceptsRequests: false,
    spokeRoutes: false,
    routingUpdatable: 'association-and-propagation',
    now: clock.now,
    partitions: (accounts) => accounts.map((account) => ({ cloud: 'azure' as const, account })),
    seedHub: async () => {
      const vwan = wan.createVirtualWan({
        subscription: HUB_SUB,
        resourceGroup: 'wan',
        name: 'wan',
        location: LOCATION,
      });
      const hub = wan.createVirtualHub({
        subscription: HUB_SUB,
        resourceGroup: 'wan',
        name: 'hub-weu',
        location: LOCATION,
        virtualWanId: vwan.id,
        addressPrefix: '10.100.0.0/23',
      });
      wan.putRouteTable(hub.id, 'spokes', { routes: [], labels: ['spokes'] });
      const ref = { cloud: 'azure' as const, account: HUB_SUB, region: LOCATION, id: hub.id.toLowerCase() };
      return { ref, routeTables: ['defaultRouteTable', 'spokes'] };
    },
    seedNetwork: async ({ account, name, cidrs }) => {
      const { record } = emu.state.createVnet({
        subscription: account,
        resourceGroup: 'net',
        name,
        location: LOCATION,
        addressPrefixes: cidrs,
      });
      return { ref: { cloud: 'azure', account, region: LOCATION, id: record.id.toLowerCase() } };
    },
    // Azure has no requests: a connection someone else made is active at once, whatever the contract asks.
    seedForeignAttachment: async ({ hub, network }) => {
      const record = wan.requireHub(hub.id);
      const name = `conn-${network.id.split('/').pop()!}`;
      wan.putConnection(record.id, name, { remoteVnetId: network.id });
      return `${record.id}/hubVirtualNetworkConnections/${name}`.toLowerCase();
    },
    setRoutingOutOfBand: async (hub, attachmentId, routing) => {
      const { record, connection } = connectionOf(hub, attachmentId);
      wan.putConnection(record.id, connection.name, {
        remoteVnetId: connection.remoteVnetId,
        ...(routing.association ? { associatedRouteTableId: tableId(record.id, routing.association) } : {}),
        propagatedRouteTableIds: routing.propagations.map((name) => tableId(record.id, name)),
        propagatedLabels: connection.propagatedLabels,
      });
    },
    addStaticHubRoute: async (hub, routeTableId, destination) => {
      wan.addStaticRoute(hub.id, routeTableId, { name: 'to-firewall', destinations: [destination], nextHop: FIREWALL });
    },
    close: () => emu.close(),
  };
});
