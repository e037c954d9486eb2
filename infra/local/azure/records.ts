/** The emulator's stored resources. Maps are keyed by lower-cased names/ids: ARM ids are case-insensitive. */

/** The four options of one peering half, as ARM names them. */
export interface HalfOptions {
  allowVirtualNetworkAccess: boolean;
  allowForwardedTraffic: boolean;
  allowGatewayTransit: boolean;
  useRemoteGateways: boolean;
}

/**
 * The other writable properties of a half (Microsoft.Network 2024-05-01 VirtualNetworkPeeringPropertiesFormat).
 * A PUT replaces all of them: one left out of the body goes back to its default, as on ARM.
 */
export interface HalfSettings {
  doNotVerifyRemoteGateways: boolean;
  /** false = subnet peering: only `localSubnetNames` / `remoteSubnetNames` are peered. */
  peerCompleteVnets: boolean;
  enableOnlyIPv6Peering: boolean;
  localSubnetNames?: string[];
  remoteSubnetNames?: string[];
}

/** Written-by-HTTP resources become readable at `visibleAt` (epoch ms; the delayed-visibility fault). */
interface Visible {
  visibleAt: number;
  pendingOp?: string;
}

/** One half of a VNet peering, stored under its local VNet. */
export interface HalfRecord extends Visible {
  name: string;
  remoteId: string;
  options: HalfOptions;
  settings: HalfSettings;
  /** The remote address space as of the last sync: what ARM reports as `remoteAddressSpace`. */
  remoteSnapshot: string[];
  /** Set once both halves existed: a half that lost its reciprocal is then `Disconnected`, not `Initiated`. */
  wasConnected: boolean;
  resourceGuid: string;
}

export interface SubnetRecord {
  name: string;
  addressPrefix: string;
  routeTableId?: string;
}

export interface VnetRecord extends Visible {
  id: string;
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  addressPrefixes: string[];
  tags: Record<string, string>;
  subnets: Map<string, SubnetRecord>;
  peerings: Map<string, HalfRecord>;
  resourceGuid: string;
}

export interface RouteRecord extends Visible {
  name: string;
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
}

export interface RouteTableRecord extends Visible {
  id: string;
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  disableBgpRoutePropagation: boolean;
  routes: Map<string, RouteRecord>;
}

export interface SubscriptionRecord {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  managementGroup?: string;
  tags: Record<string, string>;
  /** Enabled, Warned, PastDue, Disabled, Expired or Deleted (absent = Enabled). */
  state?: 'Enabled' | 'Warned' | 'PastDue' | 'Disabled' | 'Expired' | 'Deleted';
}

/** A management group: its name (the id's last segment), display name and parent (absent = the tenant root group). */
export interface ManagementGroupRecord {
  name: string;
  displayName: string;
  parent?: string;
}

export interface ResourceGroupRecord {
  subscription: string;
  name: string;
  location: string;
  tags: Record<string, string>;
}

/** A long-running operation, polled through `Azure-AsyncOperation`. It succeeds after `remainingPolls` polls. */
export interface OperationRecord {
  id: string;
  location: string;
  remainingPolls: number;
  /** Writes to the same VNet / route table while this runs get 409 AnotherOperationInProgress. */
  lockKey: string;
  /** Set when the operation ends `Failed` (the write was accepted, then refused): the poll's `error`. */
  failure?: { code: string; message: string };
}

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/{type}/{name}` */
export function networkResourceId(subscription: string, resourceGroup: string, type: string, name: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/${type}/${name}`;
}

/** Splits a VNet or route table id into its parts; undefined when it is not one. */
export function parseNetworkResourceId(
  id: string,
): { subscription: string; resourceGroup: string; type: string; name: string } | undefined {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/([^/]+)\/([^/]+)$/i.exec(id);
  if (!m) return undefined;
  return { subscription: m[1]!, resourceGroup: m[2]!, type: m[3]!, name: m[4]! };
}
