import type { ShownStatus } from '../state/peerings';
import type { AwsEmulatorState } from '../state/state';
import type { Caller, PeeringRecord, PeeringSide, RouteTableRecord, Tags, VpcRecord } from '../state/types';
import type { XmlObject, XmlValue } from '../xml';

/** `<tagSet><item><key/><value/></item></tagSet>`. */
export function tagSet(tags: Tags): XmlValue[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** One `<item>` of DescribeVpcs' `vpcSet`. */
export function renderVpc(vpc: VpcRecord): XmlObject {
  return {
    vpcId: vpc.id,
    ownerId: vpc.account,
    state: 'available',
    cidrBlock: vpc.ipv4[0]?.cidr,
    cidrBlockAssociationSet: vpc.ipv4.map((c) => ({
      cidrBlock: c.cidr,
      associationId: c.associationId,
      cidrBlockState: { state: 'associated' },
    })),
    ipv6CidrBlockAssociationSet: vpc.ipv6.map((c) => ({
      ipv6CidrBlock: c.cidr,
      associationId: c.associationId,
      ipv6CidrBlockState: { state: 'associated' },
      networkBorderGroup: vpc.region,
      ipv6Pool: 'Amazon',
    })),
    dhcpOptionsId: 'default',
    tagSet: tagSet(vpc.tags),
    instanceTenancy: 'default',
    isDefault: vpc.isDefault,
  };
}

/** One `<item>` of DescribeRouteTables' `routeTableSet`; peering routes show `blackhole` unless the peering is active. */
export function renderRouteTable(state: AwsEmulatorState, table: RouteTableRecord): XmlObject {
  return {
    routeTableId: table.id,
    vpcId: table.vpcId,
    ownerId: table.account,
    routeSet: table.routes.map((r) => ({
      [r.prefixList ? 'destinationPrefixListId' : r.ipv6 ? 'destinationIpv6CidrBlock' : 'destinationCidrBlock']:
        r.destination,
      gatewayId: r.gatewayId,
      natGatewayId: r.natGatewayId,
      transitGatewayId: r.transitGatewayId,
      vpcPeeringConnectionId: r.vpcPeeringConnectionId,
      networkInterfaceId: r.networkInterfaceId,
      instanceId: r.instanceId,
      egressOnlyInternetGatewayId: r.egressOnlyInternetGatewayId,
      carrierGatewayId: r.carrierGatewayId,
      localGatewayId: r.localGatewayId,
      coreNetworkArn: r.coreNetworkArn,
      state: state.routeState(r),
      origin: r.origin,
    })),
    associationSet: table.main
      ? [
          {
            routeTableAssociationId: table.associationId,
            routeTableId: table.id,
            main: true,
            associationState: { state: 'associated' },
          },
        ]
      : [],
    propagatingVgwSet: [],
    tagSet: tagSet(table.tags),
  };
}

function vpcInfo(state: AwsEmulatorState, side: PeeringSide, withRanges: boolean, withOptions: boolean): XmlObject {
  const vpc = state.vpcs.get(side.vpcId);
  const ranges = withRanges && vpc !== undefined;
  return {
    ownerId: side.account,
    vpcId: side.vpcId,
    cidrBlock: ranges ? vpc.ipv4[0]?.cidr : undefined,
    ipv6CidrBlockSet: ranges && vpc.ipv6.length > 0 ? vpc.ipv6.map((c) => ({ ipv6CidrBlock: c.cidr })) : undefined,
    cidrBlockSet: ranges ? vpc.ipv4.map((c) => ({ cidrBlock: c.cidr })) : undefined,
    peeringOptions: withOptions
      ? {
          allowEgressFromLocalClassicLinkToRemoteVpc: false,
          allowEgressFromLocalVpcToRemoteClassicLink: false,
          allowDnsResolutionFromRemoteVpc: side.allowDnsResolutionFromRemoteVpc,
        }
      : undefined,
    region: side.region,
  };
}

/**
 * One peering as the caller sees it. The accepter's CIDRs and options appear once it has accepted;
 * tags are only those the caller's own account set (AWS shows peering tags only to the tagging account).
 */
export function renderPeering(
  state: AwsEmulatorState,
  caller: Caller,
  p: PeeringRecord,
  shown?: ShownStatus,
): XmlObject {
  const status = shown ?? { code: p.status, message: p.message };
  const accepted = p.acceptedAt !== undefined;
  const pending =
    status.code === 'initiating-request' || status.code === 'pending-acceptance' || status.code === 'expired';
  return {
    vpcPeeringConnectionId: p.id,
    requesterVpcInfo: vpcInfo(state, p.requester, true, true),
    accepterVpcInfo: vpcInfo(state, p.accepter, accepted, accepted),
    status: { code: status.code, message: status.message },
    expirationTime: pending ? new Date(p.expiresAt).toISOString() : undefined,
    tagSet: tagSet(p.tags.get(caller.account) ?? {}),
  };
}
