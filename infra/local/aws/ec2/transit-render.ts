import type { AwsEmulatorState } from '../state/state';
import { optionsOf } from '../state/transit';
import type { TgwRouteView } from '../state/transit-routing';
import type {
  SubnetRecord,
  TgwAttachmentRecord,
  TgwAttachmentStateCode,
  TgwRouteTableRecord,
} from '../state/transit-types';
import type { Caller, GatewayRecord } from '../state/types';
import type { XmlObject } from '../xml';
import { tagSet } from './render';

/** Element names and nesting as in @aws-sdk/client-ec2's model (TransitGateway*, Subnet); test/contract/vendor checks them. */
const iso = (ms: number): string => new Date(ms).toISOString();
const flag = (on: boolean): string => (on ? 'enable' : 'disable');

/** One `<item>` of DescribeTransitGateways, or CreateTransitGateway's `transitGateway`. */
export function renderTransitGateway(state: AwsEmulatorState, g: GatewayRecord): XmlObject {
  const o = optionsOf(state, g.id);
  return {
    transitGatewayId: g.id,
    transitGatewayArn: `arn:aws:ec2:${g.region}:${g.account}:transit-gateway/${g.id}`,
    state: g.state,
    ownerId: g.account,
    creationTime: iso(g.createdAt),
    options: {
      amazonSideAsn: o.amazonSideAsn,
      autoAcceptSharedAttachments: flag(o.autoAcceptSharedAttachments),
      defaultRouteTableAssociation: flag(o.defaultRouteTableAssociation),
      associationDefaultRouteTableId: o.associationDefaultRouteTableId,
      defaultRouteTablePropagation: flag(o.defaultRouteTablePropagation),
      propagationDefaultRouteTableId: o.propagationDefaultRouteTableId,
      vpnEcmpSupport: 'enable',
      dnsSupport: 'enable',
      multicastSupport: 'disable',
    },
    tagSet: tagSet(g.tags),
  };
}

/** One TGW route table (the owner's view: tags are the owner's). */
export function renderTransitRouteTable(t: TgwRouteTableRecord): XmlObject {
  return {
    transitGatewayRouteTableId: t.id,
    transitGatewayId: t.transitGatewayId,
    state: t.state,
    defaultAssociationRouteTable: t.defaultAssociation,
    defaultPropagationRouteTable: t.defaultPropagation,
    creationTime: iso(t.createdAt),
    tagSet: tagSet(t.tags),
  };
}

/** A VPC attachment as the caller sees it (tags are the caller's own); `shown` is the state a call's response reports. */
export function renderVpcAttachment(caller: Caller, a: TgwAttachmentRecord, shown?: TgwAttachmentStateCode): XmlObject {
  return {
    transitGatewayAttachmentId: a.id,
    transitGatewayId: a.transitGatewayId,
    vpcId: a.resourceId,
    vpcOwnerId: a.resourceOwner,
    state: shown ?? a.state,
    subnetIds: a.subnetIds,
    creationTime: iso(a.createdAt),
    options: {
      dnsSupport: 'enable',
      securityGroupReferencingSupport: 'disable',
      ipv6Support: 'disable',
      applianceModeSupport: 'disable',
    },
    tagSet: tagSet(a.tags.get(caller.account) ?? {}),
  };
}

/** One `<item>` of DescribeTransitGatewayAttachments (any resource type). */
export function renderAttachment(caller: Caller, a: TgwAttachmentRecord): XmlObject {
  return {
    transitGatewayAttachmentId: a.id,
    transitGatewayId: a.transitGatewayId,
    transitGatewayOwnerId: a.transitGatewayOwner,
    resourceOwnerId: a.resourceOwner,
    resourceType: a.resourceType,
    resourceId: a.resourceId,
    state: a.state,
    association:
      a.association === undefined ? undefined : { transitGatewayRouteTableId: a.association, state: 'associated' },
    creationTime: iso(a.createdAt),
    tagSet: tagSet(a.tags.get(caller.account) ?? {}),
  };
}

/** TransitGatewayAssociation / TransitGatewayPropagation: the response of (dis)associate and enable/disable. */
export function renderLink(table: TgwRouteTableRecord, a: TgwAttachmentRecord, state: string): XmlObject {
  return {
    transitGatewayRouteTableId: table.id,
    transitGatewayAttachmentId: a.id,
    resourceId: a.resourceId,
    resourceType: a.resourceType,
    state,
  };
}

/** One `<item>` of GetTransitGatewayRouteTableAssociations / …Propagations. */
export function renderTableLink(a: TgwAttachmentRecord, state: string): XmlObject {
  return { transitGatewayAttachmentId: a.id, resourceId: a.resourceId, resourceType: a.resourceType, state };
}

/** One TransitGatewayRoute. */
export function renderTransitRoute(r: TgwRouteView): XmlObject {
  return {
    destinationCidrBlock: r.destination,
    transitGatewayAttachments: r.attachment
      ? [
          {
            resourceId: r.attachment.resourceId,
            transitGatewayAttachmentId: r.attachment.id,
            resourceType: r.attachment.resourceType,
          },
        ]
      : [],
    type: r.type,
    state: r.state,
  };
}

/** One `<item>` of DescribeSubnets. */
export function renderSubnet(s: SubnetRecord): XmlObject {
  return {
    subnetId: s.id,
    subnetArn: `arn:aws:ec2:${s.region}:${s.account}:subnet/${s.id}`,
    state: 'available',
    vpcId: s.vpcId,
    ownerId: s.account,
    cidrBlock: s.cidr,
    availabilityZone: s.availabilityZone,
    availableIpAddressCount: 251,
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    tagSet: tagSet(s.tags),
  };
}
