import type { Tags } from './types';

/** A TGW attachment's lifecycle, spelled as EC2 spells `TransitGatewayAttachmentState`. */
export type TgwAttachmentStateCode =
  | 'initiating'
  | 'pendingAcceptance'
  | 'pending'
  | 'available'
  | 'modifying'
  | 'deleting'
  | 'deleted'
  | 'rejecting'
  | 'rejected'
  | 'failing'
  | 'failed';

/** What an attachment connects to the TGW (EC2's `TransitGatewayAttachmentResourceType`, the subset seeded here). */
export type TgwResourceType = 'vpc' | 'vpn' | 'direct-connect-gateway' | 'peering';

/** The options CreateTransitGateway takes and DescribeTransitGateways shows (enable/disable as booleans). */
export interface TgwOptionsRecord {
  amazonSideAsn: number;
  autoAcceptSharedAttachments: boolean;
  defaultRouteTableAssociation: boolean;
  defaultRouteTablePropagation: boolean;
  associationDefaultRouteTableId?: string;
  propagationDefaultRouteTableId?: string;
}

/** A static route someone wrote into a TGW route table: toward an attachment, or a blackhole. */
export interface TgwStaticRoute {
  destination: string;
  attachmentId?: string;
  blackhole: boolean;
}

export interface TgwRouteTableRecord {
  id: string;
  transitGatewayId: string;
  account: string;
  region: string;
  state: 'available' | 'deleted';
  defaultAssociation: boolean;
  defaultPropagation: boolean;
  tags: Tags;
  createdAt: number;
  staticRoutes: TgwStaticRoute[];
}

export interface TgwAttachmentRecord {
  id: string;
  transitGatewayId: string;
  region: string;
  /** The TGW's owner: it accepts, rejects and routes. */
  transitGatewayOwner: string;
  resourceType: TgwResourceType;
  /** vpc-…, vpn-…, a Direct Connect gateway id. */
  resourceId: string;
  resourceOwner: string;
  state: TgwAttachmentStateCode;
  /** API calls left before a transient state (pending, modifying, deleting…) settles (see TransitStore.settle). */
  settleIn: number;
  subnetIds: string[];
  createdAt: number;
  /** Tags per account: each side tags its own view (as with peerings). */
  tags: Map<string, Tags>;
  /** The route table it is associated with (at most one). */
  association?: string;
  /** The route tables it propagates its ranges into. */
  propagations: string[];
  /** VPN / Direct Connect: the ranges learned over BGP that it propagates (VPC attachments propagate the VPC's CIDRs). */
  cidrs: string[];
  /** Describe answers leave it out until TransitStore.calls passes this (eventual consistency). */
  hiddenUntilCall: number;
  /** Set once the TGW's default association / propagation were applied on first becoming available. */
  defaultsApplied: boolean;
}

/**
 * Transit Gateway quotas (Amazon VPC Transit Gateways quotas page): 5 TGWs per account and region, 20 route tables
 * per TGW, 5,000 attachments per TGW, 10,000 static routes per TGW.
 */
export interface TransitQuotas {
  transitGatewaysPerAccount: number;
  routeTablesPerTransitGateway: number;
  attachmentsPerTransitGateway: number;
  staticRoutesPerTransitGateway: number;
}
export const DEFAULT_TRANSIT_QUOTAS: TransitQuotas = {
  transitGatewaysPerAccount: 5,
  routeTablesPerTransitGateway: 20,
  attachmentsPerTransitGateway: 5000,
  staticRoutesPerTransitGateway: 10000,
};

/** A subnet: enough to pick one per Availability Zone for an attachment. */
export interface SubnetRecord {
  id: string;
  vpcId: string;
  account: string;
  region: string;
  availabilityZone: string;
  cidr: string;
  tags: Tags;
}
