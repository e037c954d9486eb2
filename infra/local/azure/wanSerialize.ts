/**
 * Virtual WAN ARM bodies, shaped like @azure/arm-network's VirtualHub, HubRouteTable and HubVirtualNetworkConnection
 * models (checked in test/contract/vendor/azure-transit.test.ts). Only fields the vendor model knows are sent.
 */
import type { AzureEmulatorState } from './state';
import {
  hubConnectionId,
  hubRouteTableId,
  type HubConnectionRecord,
  type HubRouteTableRecord,
  type VirtualHubRecord,
  type VirtualWanRecord,
} from './wanRecords';

type Json = Record<string, unknown>;

function provisioning(state: AzureEmulatorState, record: { pendingOp?: string }): string {
  return state.isPending(record) ? 'Updating' : 'Succeeded';
}

export function virtualWanBody(wan: VirtualWanRecord): Json {
  return {
    id: wan.id,
    name: wan.name,
    type: 'Microsoft.Network/virtualWans',
    location: wan.location,
    tags: { ...wan.tags },
    etag: `W/"${wan.resourceGuid}"`,
    properties: {
      provisioningState: 'Succeeded',
      disableVpnEncryption: false,
      allowBranchToBranchTraffic: true,
      type: 'Standard',
    },
  };
}

export function virtualHubBody(state: AzureEmulatorState, hub: VirtualHubRecord): Json {
  return {
    id: hub.id,
    name: hub.name,
    type: 'Microsoft.Network/virtualHubs',
    location: hub.location,
    tags: { ...hub.tags },
    etag: `W/"${hub.resourceGuid}"`,
    kind: '',
    properties: {
      provisioningState: provisioning(state, hub),
      virtualWan: { id: hub.virtualWanId },
      addressPrefix: hub.addressPrefix,
      ...(hub.vpnGatewayId ? { vpnGateway: { id: hub.vpnGatewayId } } : {}),
      ...(hub.expressRouteGatewayId ? { expressRouteGateway: { id: hub.expressRouteGatewayId } } : {}),
      sku: 'Standard',
      routingState: 'Provisioned',
      virtualRouterAsn: 65515,
      virtualRouterIps: [],
      hubRoutingPreference: 'ExpressRoute',
    },
  };
}

export function hubRouteTableBody(state: AzureEmulatorState, hub: VirtualHubRecord, table: HubRouteTableRecord): Json {
  return {
    id: hubRouteTableId(hub, table.name),
    name: table.name,
    type: 'Microsoft.Network/virtualHubs/hubRouteTables',
    etag: `W/"${hub.resourceGuid}-${table.name}"`,
    properties: {
      routes: table.routes.map((r) => ({
        name: r.name,
        destinationType: r.destinationType,
        destinations: [...r.destinations],
        nextHopType: r.nextHopType,
        nextHop: r.nextHop,
      })),
      labels: [...table.labels],
      associatedConnections: state.wan.associatedConnections(hub, table),
      propagatingConnections: state.wan.propagatingConnections(hub, table),
      provisioningState: provisioning(state, table),
    },
  };
}

export function hubConnectionBody(
  state: AzureEmulatorState,
  hub: VirtualHubRecord,
  connection: HubConnectionRecord,
): Json {
  return {
    id: hubConnectionId(hub, connection.name),
    name: connection.name,
    etag: `W/"${connection.resourceGuid}"`,
    properties: {
      remoteVirtualNetwork: { id: connection.remoteVnetId },
      allowHubToRemoteVnetTransit: connection.allowHubToRemoteVnetTransit,
      allowRemoteVnetToUseHubVnetGateways: connection.allowRemoteVnetToUseHubVnetGateways,
      enableInternetSecurity: connection.enableInternetSecurity,
      routingConfiguration: {
        associatedRouteTable: { id: connection.associatedRouteTableId },
        propagatedRouteTables: {
          labels: [...connection.propagatedLabels],
          ids: connection.propagatedRouteTableIds.map((id) => ({ id })),
        },
        vnetRoutes: { staticRoutes: [...connection.staticRoutes] },
      },
      provisioningState: provisioning(state, connection),
    },
  };
}
