/** What the emulator stores. Field names follow Compute where a record maps onto a Compute resource. */

export interface ProjectRecord {
  id: string;
  number: string;
  name: string;
  labels: Record<string, string>;
  parent?: { type: 'folder' | 'organization'; id: string };
  createTime: Date;
  /** Resource Manager's lifecycle: DELETE_REQUESTED for 30 days after projects.delete (absent = ACTIVE). */
  state?: 'ACTIVE' | 'DELETE_REQUESTED';
}

/** A Resource Manager folder: `folders/N` under a folder or an organization (at most 10 levels deep). */
export interface FolderRecord {
  name: string;
  displayName: string;
  parent: string;
  state: 'ACTIVE' | 'DELETE_REQUESTED';
  createTime: Date;
}

/** One half of a VPC Network Peering: it lives on `project/network` and points at the peer. */
export interface PeeringHalf {
  name: string;
  peerProject: string;
  peerNetwork: string;
  exchangeSubnetRoutes: boolean;
  exportCustomRoutes: boolean;
  importCustomRoutes: boolean;
  exportSubnetRoutesWithPublicIp: boolean;
  importSubnetRoutesWithPublicIp: boolean;
  stackType: 'IPV4_ONLY' | 'IPV4_IPV6';
  /** INDEPENDENT (the default for UNSPECIFIED) or CONSENSUS: changes and removal need both networks' admins. */
  updateStrategy: 'INDEPENDENT' | 'CONSENSUS';
  /** CONSENSUS only: this network's admin called requestRemovePeering. */
  deleteRequested: boolean;
  /** When the state last changed, for stateDetails. */
  since: Date;
  /** Delayed visibility: readers do not see the half before this instant. */
  visibleAt: number;
}

export interface NetworkRecord {
  project: string;
  name: string;
  id: string;
  description?: string;
  autoCreateSubnetworks: boolean;
  routingMode: 'REGIONAL' | 'GLOBAL';
  mtu: number;
  creationTimestamp: Date;
  peerings: PeeringHalf[];
  visibleAt: number;
}

export interface SecondaryRange {
  rangeName: string;
  ipCidrRange: string;
}

export interface SubnetworkRecord {
  project: string;
  region: string;
  name: string;
  id: string;
  network: string;
  ipCidrRange: string;
  secondaryIpRanges: SecondaryRange[];
  /** Internal (ULA) or external IPv6 /64 of a dual-stack subnet. */
  ipv6CidrRange?: string;
  ipv6AccessType?: 'INTERNAL' | 'EXTERNAL';
  creationTimestamp: Date;
  visibleAt: number;
}

/** The next hop of a static route; `nextHopPeering` routes are generated, never stored. */
export type NextHop =
  | { nextHopGateway: string }
  | { nextHopIp: string }
  | { nextHopInstance: string }
  | { nextHopIlb: string }
  | { nextHopVpnTunnel: string };

export interface RouteRecord {
  project: string;
  name: string;
  id: string;
  network: string;
  destRange: string;
  priority: number;
  nextHop: NextHop;
  tags?: string[];
  description: string;
  creationTimestamp: Date;
  visibleAt: number;
}

export type OperationStatus = 'PENDING' | 'RUNNING' | 'DONE';

export interface OperationRecord {
  id: string;
  name: string;
  project: string;
  /** The Compute method (e.g. `compute.networks.addPeering`). */
  method: string;
  operationType: string;
  targetLink: string;
  targetId: string;
  user: string;
  status: OperationStatus;
  insertTime: Date;
  startTime?: Date;
  endTime?: Date;
  error?: { code: string; message: string };
  /** The HTTP status of the failure, rendered as the operation's `httpErrorStatusCode` (404, 409, 400 …). */
  httpError?: number;
  /** Network keys (`project/network`) this operation holds for the one-peering-operation rule. */
  locks: string[];
  /** Applies the change when the operation finishes; may throw a GoogleError, which ends the operation in error. */
  effect: () => void;
}

/** `project/name`, the emulator's key for networks, routes and operations. */
export const keyOf = (project: string, name: string): string => `${project}/${name}`;

/** Compute selfLinks name www.googleapis.com whichever endpoint served the call (see the fixtures). */
export const SELF_LINK_BASE = 'https://www.googleapis.com/compute/v1';
export const networkUrl = (project: string, name: string): string =>
  `${SELF_LINK_BASE}/projects/${project}/global/networks/${name}`;

/** Parses `…projects/{p}/global/networks/{n}` from a full URL or partial path. */
export function parseNetworkUrl(url: string): { project: string; network: string } | undefined {
  const m = /(?:^|\/)projects\/([^/]+)\/global\/networks\/([^/?#]+)$/.exec(url);
  return m ? { project: m[1]!, network: m[2]! } : undefined;
}

/** Compute writes RFC 3339 timestamps with an offset (`2023-02-15T22:23:14.098-08:00`). */
export const rfc3339 = (d: Date): string => d.toISOString().replace('Z', '+00:00');
