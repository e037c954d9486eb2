/** ARM JSON bodies, shaped like the azure-rest-api-specs examples (checked in test/infra/local/azure). */
import { halfState, syncLevel } from './peerings';
import type {
  HalfRecord,
  ResourceGroupRecord,
  RouteRecord,
  RouteTableRecord,
  SubscriptionRecord,
  VnetRecord,
} from './records';
import type { AzureEmulatorState } from './state';

type Json = Record<string, unknown>;

function etag(seed: string): string {
  return `W/"${seed}"`;
}

function provisioning(state: AzureEmulatorState, record: { pendingOp?: string }): string {
  return state.isPending(record) ? 'Updating' : 'Succeeded';
}

/** Microsoft's BGP community for a VNet: 12076 is Microsoft's ASN; 20000+ is the per-VNet range. */
function bgpCommunity(vnet: VnetRecord): string {
  return `12076:${20000 + (parseInt(vnet.resourceGuid.slice(0, 4), 16) % 10000)}`;
}

export function halfBody(state: AzureEmulatorState, vnet: VnetRecord, half: HalfRecord): Json {
  const remote = state.vnet(half.remoteId);
  return {
    id: `${vnet.id}/virtualNetworkPeerings/${half.name}`,
    name: half.name,
    etag: etag(half.resourceGuid),
    type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
    properties: {
      ...half.options,
      doNotVerifyRemoteGateways: half.settings.doNotVerifyRemoteGateways,
      peerCompleteVnets: half.settings.peerCompleteVnets,
      enableOnlyIPv6Peering: half.settings.enableOnlyIPv6Peering,
      ...(half.settings.localSubnetNames ? { localSubnetNames: [...half.settings.localSubnetNames] } : {}),
      ...(half.settings.remoteSubnetNames ? { remoteSubnetNames: [...half.settings.remoteSubnetNames] } : {}),
      remoteVirtualNetwork: { id: half.remoteId },
      remoteAddressSpace: { addressPrefixes: [...half.remoteSnapshot] },
      remoteVirtualNetworkAddressSpace: { addressPrefixes: [...(remote?.addressPrefixes ?? half.remoteSnapshot)] },
      ...(remote
        ? { remoteBgpCommunities: { virtualNetworkCommunity: bgpCommunity(remote), regionalCommunity: '12076:50004' } }
        : {}),
      peeringState: halfState(state, vnet, half),
      peeringSyncLevel: syncLevel(state, vnet, half),
      provisioningState: provisioning(state, half),
      resourceGuid: half.resourceGuid,
    },
  };
}

export function vnetBody(state: AzureEmulatorState, vnet: VnetRecord): Json {
  const now = state.now();
  return {
    name: vnet.name,
    id: vnet.id,
    etag: etag(vnet.resourceGuid),
    type: 'Microsoft.Network/virtualNetworks',
    location: vnet.location,
    tags: { ...vnet.tags },
    properties: {
      provisioningState: provisioning(state, vnet),
      resourceGuid: vnet.resourceGuid,
      addressSpace: { addressPrefixes: [...vnet.addressPrefixes] },
      subnets: [...vnet.subnets.values()].map((subnet) => ({
        name: subnet.name,
        id: `${vnet.id}/subnets/${subnet.name}`,
        type: 'Microsoft.Network/virtualNetworks/subnets',
        properties: {
          provisioningState: 'Succeeded',
          addressPrefix: subnet.addressPrefix,
          ...(subnet.routeTableId ? { routeTable: { id: subnet.routeTableId } } : {}),
        },
      })),
      virtualNetworkPeerings: [...vnet.peerings.values()]
        .filter((h) => h.visibleAt <= now)
        .map((h) => halfBody(state, vnet, h)),
      enableDdosProtection: false,
    },
  };
}

export function routeBody(state: AzureEmulatorState, table: RouteTableRecord, route: RouteRecord): Json {
  return {
    name: route.name,
    id: `${table.id}/routes/${route.name}`,
    etag: etag(`${table.name}-${route.name}`),
    type: 'Microsoft.Network/routeTables/routes',
    properties: {
      provisioningState: provisioning(state, route),
      addressPrefix: route.addressPrefix,
      nextHopType: route.nextHopType,
      ...(route.nextHopIpAddress ? { nextHopIpAddress: route.nextHopIpAddress } : {}),
    },
  };
}

/** The subnets (of any VNet) associated with a route table, as ARM lists them under the table. */
function associatedSubnets(state: AzureEmulatorState, table: RouteTableRecord): { id: string }[] {
  const ids: { id: string }[] = [];
  for (const vnet of state.vnets.values()) {
    for (const subnet of vnet.subnets.values()) {
      if (subnet.routeTableId?.toLowerCase() === table.id.toLowerCase())
        ids.push({ id: `${vnet.id}/subnets/${subnet.name}` });
    }
  }
  return ids;
}

export function routeTableBody(state: AzureEmulatorState, table: RouteTableRecord): Json {
  const now = state.now();
  const subnets = associatedSubnets(state, table);
  return {
    name: table.name,
    id: table.id,
    etag: etag(table.name),
    type: 'Microsoft.Network/routeTables',
    location: table.location,
    tags: { ...table.tags },
    properties: {
      provisioningState: provisioning(state, table),
      disableBgpRoutePropagation: table.disableBgpRoutePropagation,
      routes: [...table.routes.values()].filter((r) => r.visibleAt <= now).map((r) => routeBody(state, table, r)),
      ...(subnets.length > 0 ? { subnets } : {}),
    },
  };
}

export function subscriptionBody(sub: SubscriptionRecord): Json {
  return {
    id: `/subscriptions/${sub.subscriptionId}`,
    authorizationSource: 'RoleBased',
    subscriptionId: sub.subscriptionId,
    tenantId: sub.tenantId,
    displayName: sub.displayName,
    state: sub.state ?? 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
    tags: { ...sub.tags },
  };
}

export function resourceGroupBody(rg: ResourceGroupRecord): Json {
  return {
    id: `/subscriptions/${rg.subscription}/resourceGroups/${rg.name}`,
    name: rg.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: rg.location,
    tags: { ...rg.tags },
    properties: { provisioningState: 'Succeeded' },
  };
}
