/** The emulator's Virtual WAN resources. Maps are keyed by lower-cased names: ARM ids are case-insensitive. */

/** Written-by-HTTP resources become readable at `visibleAt`; `pendingOp` is the write's running operation. */
interface Visible {
  visibleAt: number;
  pendingOp?: string;
}

export interface VirtualWanRecord {
  id: string;
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  resourceGuid: string;
}

/** One static route of a hub route table (Microsoft.Network HubRoute). */
export interface HubRouteRecord {
  name: string;
  destinationType: string;
  destinations: string[];
  nextHopType: string;
  nextHop: string;
}

export interface HubRouteTableRecord extends Visible {
  name: string;
  labels: string[];
  routes: HubRouteRecord[];
}

/** A hubVirtualNetworkConnection: one VNet attached to the hub, with its routing configuration. */
export interface HubConnectionRecord extends Visible {
  name: string;
  remoteVnetId: string;
  /** The hub route table id the connection is associated with. */
  associatedRouteTableId: string;
  /** Hub route table ids the connection propagates its ranges into. */
  propagatedRouteTableIds: string[];
  /** Route table labels the connection propagates to. */
  propagatedLabels: string[];
  /** `routingConfiguration.vnetRoutes.staticRoutes`, kept as sent. */
  staticRoutes: unknown[];
  enableInternetSecurity: boolean;
  allowHubToRemoteVnetTransit: boolean;
  allowRemoteVnetToUseHubVnetGateways: boolean;
  resourceGuid: string;
}

export interface VirtualHubRecord extends Visible {
  id: string;
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  virtualWanId: string;
  addressPrefix: string;
  vpnGatewayId?: string;
  expressRouteGatewayId?: string;
  routeTables: Map<string, HubRouteTableRecord>;
  connections: Map<string, HubConnectionRecord>;
  resourceGuid: string;
}

/** `…/virtualHubs/{hub}/hubRouteTables/{name}` */
export function hubRouteTableId(hub: Pick<VirtualHubRecord, 'id'>, name: string): string {
  return `${hub.id}/hubRouteTables/${name}`;
}

/** `…/virtualHubs/{hub}/hubVirtualNetworkConnections/{name}` */
export function hubConnectionId(hub: Pick<VirtualHubRecord, 'id'>, name: string): string {
  return `${hub.id}/hubVirtualNetworkConnections/${name}`;
}
