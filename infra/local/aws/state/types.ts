/** The emulator's stored records: what EC2 keeps per account and region. */

export type Tags = Record<string, string>;

/** Who is calling: the account comes from the AssumeRole credentials, the region from the SigV4 scope. */
export interface Caller {
  account: string;
  region: string;
  /** The access key the request was signed with (CloudTrail's userIdentity.accessKeyId). */
  accessKeyId: string;
  /** Set for assumed-role sessions; absent for the static hub credentials. */
  role?: { name: string; sessionName: string; roleId: string; createdAt: string };
}

export interface VpcRecord {
  id: string;
  account: string;
  region: string;
  /** The first entry is the primary CIDR; the rest are secondary associations. */
  ipv4: { cidr: string; associationId: string }[];
  ipv6: { cidr: string; associationId: string }[];
  tags: Tags;
  isDefault: boolean;
  createdAt: number;
}

/** Route targets, named as the Query API names them. */
export interface RouteTargetFields {
  gatewayId?: string;
  natGatewayId?: string;
  transitGatewayId?: string;
  vpcPeeringConnectionId?: string;
  networkInterfaceId?: string;
  instanceId?: string;
  egressOnlyInternetGatewayId?: string;
  vpcEndpointId?: string;
  carrierGatewayId?: string;
  localGatewayId?: string;
  coreNetworkArn?: string;
}

export interface RouteRecord extends RouteTargetFields {
  /** A CIDR, or the `pl-…` id of a prefix list (gateway endpoints add those). */
  destination: string;
  ipv6: boolean;
  /** Set when `destination` is a prefix list: rendered as `destinationPrefixListId`. */
  prefixList?: boolean;
  origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
  /** Only seeded routes set this (e.g. a NAT route left blackhole); peering routes compute it. */
  fixedState?: 'active' | 'blackhole';
}

export interface RouteTableRecord {
  id: string;
  vpcId: string;
  account: string;
  region: string;
  main: boolean;
  associationId: string;
  routes: RouteRecord[];
  tags: Tags;
}

export type PeeringStatusCode =
  | 'initiating-request'
  | 'pending-acceptance'
  | 'provisioning'
  | 'active'
  | 'rejected'
  | 'failed'
  | 'expired'
  | 'deleting'
  | 'deleted';

export interface PeeringSide {
  account: string;
  region: string;
  vpcId: string;
  allowDnsResolutionFromRemoteVpc: boolean;
}

export interface PeeringRecord {
  id: string;
  requester: PeeringSide;
  accepter: PeeringSide;
  status: PeeringStatusCode;
  message: string;
  createdAt: number;
  /** When the accepter accepted; from then on Describe shows the accepter's CIDRs and options. */
  acceptedAt?: number;
  /** 7 days after creation: a request still pending then is `expired`. */
  expiresAt: number;
  /** Tags are visible only in the account that set them (DESIGN §3): keyed by account. */
  tags: Map<string, Tags>;
  /** Real epoch ms before which Describe does not see the peering (the delayed-visibility fault). */
  visibleAfter: number;
}

/** The gateways a route can point at, as the emulator keeps them (enough to exist, be listed and be routed to). */
export type GatewayKind = 'internet' | 'nat' | 'transit' | 'vpn' | 'egress-only' | 'endpoint' | 'carrier';

export interface GatewayRecord {
  id: string;
  kind: GatewayKind;
  account: string;
  region: string;
  /** The VPC it is attached to (a transit gateway has none of its own). */
  vpcId?: string;
  /** EC2's own word per kind: available / attached / deleted … */
  state: string;
  tags: Tags;
  createdAt: number;
  /** Gateway endpoints: the service (com.amazonaws.<region>.s3), its prefix list and the tables it routes. */
  serviceName?: string;
  prefixListId?: string;
  routeTableIds?: string[];
}

/** An EC2 API error, spelled as AWS spells it. */
export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'Ec2Error';
  }
}

/** Default quotas (EC2 defaults as documented: 50 active peerings per VPC, 25 pending per account, 50 routes per table). */
export interface Quotas {
  activePeeringsPerVpc: number;
  pendingPeeringsPerAccount: number;
  routesPerTable: number;
}
export const DEFAULT_QUOTAS: Quotas = { activePeeringsPerVpc: 50, pendingPeeringsPerAccount: 25, routesPerTable: 50 };
