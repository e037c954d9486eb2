import { armAs } from './actors';
import type { LocalCloud } from './cloud';
import { TRANSIT_CAST } from './transit-estate';
import type { ScenarioStep } from './transit-scenario';

const T = TRANSIT_CAST.azure;
const CIDRS = TRANSIT_CAST.cidrs;
/** A console user in the connectivity subscription (not peerkeeper, not the vending pipeline). */
const NETOPS = 'a11ce000-0000-4000-8000-0000000000ee';
const VENDING = 'a11ce000-0000-4000-8000-000000000002';
const vnetPath = (sub: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;

export interface AzureTransitIds {
  spokeVnet: string;
  unlistedVnet: string;
  /** The hub connection peerkeeper made for the spoke. */
  connection: string;
}

/** The hub connection attaching a VNet to the local Virtual WAN hub, if any. */
export function wanConnectionOf(cloud: LocalCloud, vnetId: string) {
  return cloud.azure.state.wan.connectionOf(vnetId)?.connection;
}

/** The routes of the hub's defaultRouteTable (static routes someone wrote; propagation is the connections'). */
export function wanDefaultRoutes(cloud: LocalCloud) {
  return cloud.azure.state.wan.hub(T.hub)?.routeTables.get('defaultroutetable')?.routes ?? [];
}

const tableName = (id: string | undefined) => id?.split('/').pop() ?? 'nothing';

/** The Azure transit story: a vended VNet connected, one in an unlisted subscription never, drift put back, hand route kept. */
export async function runAzureTransit(cloud: LocalCloud, step: ScenarioStep): Promise<AzureTransitIds> {
  const azure = cloud.azure.state;
  const spokeVnet = vnetPath(T.spoke, 'orders-eu');
  const unlistedVnet = vnetPath(T.unlisted, 'shadow');
  const vend = async (sub: string, path: string, cidr: string) => {
    if (sub === T.unlisted) azure.createSubscription(sub, { displayName: 'shadow-it' });
    azure.ensureResourceGroup(sub, 'net', 'westeurope');
    await armAs(cloud.azure.url, VENDING, 'PUT', path, {
      location: 'westeurope',
      tags: { tier: 'transit' },
      properties: { addressSpace: { addressPrefixes: [cidr] } },
    });
  };
  const describe = (c: ReturnType<typeof wanConnectionOf>) =>
    c
      ? `${c.name} associated with ${tableName(c.associatedRouteTableId)}, propagating to [${c.propagatedRouteTableIds.map(tableName).join(', ')}]`
      : 'no connection';

  await step(
    'Azure transit: the pipeline creates VNet orders-eu (tier=transit) in subscription …eeeeeeeeeeee → peerkeeper connects it to Virtual WAN hub hub-we',
    () => vend(T.spoke, spokeVnet, CIDRS.azureSpoke),
    () => describe(wanConnectionOf(cloud, spokeVnet)),
  );

  await step(
    'Azure transit: a VNet tagged tier=transit in subscription …ffffffffffff (not in the policy) is never connected',
    () => vend(T.unlisted, unlistedVnet, CIDRS.azureUnlisted),
    () =>
      `shadow: ${wanConnectionOf(cloud, unlistedVnet) ? 'CONNECTED (wrong)' : 'not connected'}; hub-we holds ${azure.wan.hub(T.hub)?.connections.size ?? 0} connection(s)`,
  );

  await step(
    'Azure transit: someone re-points the connection’s propagation to noneRouteTable and adds a static route to defaultRouteTable by hand',
    async () => {
      const c = wanConnectionOf(cloud, spokeVnet)!;
      await armAs(cloud.azure.url, NETOPS, 'PUT', `${T.hub}/hubVirtualNetworkConnections/${c.name}`, {
        properties: {
          remoteVirtualNetwork: { id: spokeVnet },
          routingConfiguration: {
            associatedRouteTable: { id: `${T.hub}/hubRouteTables/defaultRouteTable` },
            propagatedRouteTables: { ids: [{ id: `${T.hub}/hubRouteTables/noneRouteTable` }], labels: ['none'] },
          },
        },
      });
      await cloud.settled();
      await armAs(cloud.azure.url, NETOPS, 'PUT', `${T.hub}/hubRouteTables/defaultRouteTable`, {
        properties: {
          labels: ['default'],
          routes: [
            {
              name: 'to-firewall',
              destinationType: 'CIDR',
              destinations: [CIDRS.handRoute],
              nextHopType: 'ResourceId',
              nextHop: `/subscriptions/${T.hubSubscription}/resourceGroups/wan/providers/Microsoft.Network/azureFirewalls/fw-we`,
            },
          ],
        },
      });
    },
    () => {
      const hand = wanDefaultRoutes(cloud).find((r) => r.destinations.includes(CIDRS.handRoute));
      return `put back: ${describe(wanConnectionOf(cloud, spokeVnet))}; ${CIDRS.handRoute} → ${hand ? tableName(hand.nextHop) : 'gone'} (left alone: not peerkeeper's)`;
    },
  );

  return { spokeVnet, unlistedVnet, connection: wanConnectionOf(cloud, spokeVnet)?.name ?? 'none' };
}
