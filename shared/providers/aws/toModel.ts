import type {
  Route as Ec2Route,
  RouteTable as Ec2RouteTable,
  Tag,
  Vpc,
  VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import type { Network, NetworkRef, Peering, PeeringState, Route, RouteTable } from '../../model';

/** AWS peering status codes → the normalized lifecycle. */
const STATUS: Readonly<Record<string, PeeringState>> = {
  'initiating-request': 'requested',
  'pending-acceptance': 'requested',
  provisioning: 'requested',
  active: 'active',
  rejected: 'rejected',
  failed: 'failed',
  expired: 'expired',
  deleting: 'deleted',
  deleted: 'deleted',
};

/** EC2 route origins → normalized origins. */
const ORIGIN: Readonly<Record<string, Route['origin']>> = {
  CreateRouteTable: 'system',
  CreateRoute: 'static',
  EnableVgwRoutePropagation: 'propagated',
};

/** EC2 `Tags` as a record. */
export function tagsToRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** The normalized ref of a VPC. */
export function vpcRef(account: string, region: string, vpcId: string): NetworkRef {
  return { cloud: 'aws', account, region, id: vpcId };
}

/** A route; the next hop is a peering (pcx) or anything else (igw-, nat-, tgw-, eni-, local…). */
export function routeToModel(route: Ec2Route): Route | undefined {
  const destination = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock ?? route.DestinationPrefixListId;
  if (!destination) return undefined;
  const other =
    route.GatewayId ??
    route.NatGatewayId ??
    route.TransitGatewayId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.EgressOnlyInternetGatewayId ??
    route.LocalGatewayId ??
    route.CarrierGatewayId ??
    route.CoreNetworkArn ??
    'unknown';
  return {
    destination,
    target: route.VpcPeeringConnectionId
      ? { kind: 'peering', peeringId: route.VpcPeeringConnectionId }
      : { kind: 'other', id: other },
    origin: ORIGIN[route.Origin ?? ''] ?? 'static',
    ...(route.State === 'active' || route.State === 'blackhole' ? { state: route.State } : {}),
  };
}

/** A route table of a VPC. `main` comes from the table's main association. */
export function routeTableToModel(table: Ec2RouteTable, network: NetworkRef): RouteTable {
  return {
    id: table.RouteTableId ?? '',
    network,
    main: (table.Associations ?? []).some((a) => a.Main === true),
    tags: tagsToRecord(table.Tags),
    routes: (table.Routes ?? []).flatMap((r) => routeToModel(r) ?? []),
  };
}

/** A VPC with every associated IPv4 and IPv6 CIDR (disassociated ones are left out). */
export function vpcToNetwork(vpc: Vpc, account: string, region: string, tables: readonly Ec2RouteTable[]): Network {
  const ref = vpcRef(vpc.OwnerId ?? account, region, vpc.VpcId ?? '');
  const v4 = (vpc.CidrBlockAssociationSet ?? [])
    .filter((a) => a.CidrBlockState?.State === 'associated')
    .flatMap((a) => a.CidrBlock ?? []);
  const v6 = (vpc.Ipv6CidrBlockAssociationSet ?? [])
    .filter((a) => a.Ipv6CidrBlockState?.State === 'associated')
    .flatMap((a) => a.Ipv6CidrBlock ?? []);
  const cidrs = v4.length > 0 ? v4 : vpc.CidrBlock ? [vpc.CidrBlock] : [];
  const tags = tagsToRecord(vpc.Tags);
  return {
    ref,
    ...(tags.Name !== undefined ? { name: tags.Name } : {}),
    cidrs: [...cidrs, ...v6],
    tags,
    routeTables: tables.map((t) => routeTableToModel(t, ref)),
  };
}

/**
 * A peering as seen from one account and region. A side's region is its VpcInfo.Region when EC2 says,
 * else the region observed from. DNS resolution counts as allowed only when every side that reports
 * options allows it.
 */
export function peeringToModel(pcx: VpcPeeringConnection, observedRegion: string): Peering | undefined {
  const req = pcx.RequesterVpcInfo;
  const acc = pcx.AccepterVpcInfo;
  if (!pcx.VpcPeeringConnectionId || !req?.VpcId || !req.OwnerId || !acc?.VpcId || !acc.OwnerId) return undefined;
  const code = pcx.Status?.Code ?? '';
  const dns = [req.PeeringOptions, acc.PeeringOptions].flatMap((o) =>
    o?.AllowDnsResolutionFromRemoteVpc === undefined ? [] : [o.AllowDnsResolutionFromRemoteVpc],
  );
  return {
    id: pcx.VpcPeeringConnectionId,
    cloud: 'aws',
    requester: vpcRef(req.OwnerId, req.Region ?? observedRegion, req.VpcId),
    accepter: vpcRef(acc.OwnerId, acc.Region ?? observedRegion, acc.VpcId),
    state: STATUS[code] ?? 'failed',
    ...(pcx.ExpirationTime && STATUS[code] === 'requested' ? { expiresAt: pcx.ExpirationTime.toISOString() } : {}),
    options: dns.length > 0 ? { allowDnsResolution: dns.every(Boolean) } : {},
    tags: tagsToRecord(pcx.Tags),
    ...(announced(req).length > 0 ? { requesterCidrs: announced(req) } : {}),
    ...(announced(acc).length > 0 ? { accepterCidrs: announced(acc) } : {}),
    ...(pcx.Status?.Message ? { message: pcx.Status.Message } : {}),
  };
}

/** The ranges a side announced in the peering (its VPC's CIDR blocks): how a partner we cannot observe is judged. */
function announced(side: NonNullable<VpcPeeringConnection['RequesterVpcInfo']>): string[] {
  const v4 = (side.CidrBlockSet ?? []).flatMap((c) => c.CidrBlock ?? []);
  const v6 = (side.Ipv6CidrBlockSet ?? []).flatMap((c) => c.Ipv6CidrBlock ?? []);
  return [...(v4.length > 0 ? v4 : side.CidrBlock ? [side.CidrBlock] : []), ...v6];
}

/** The raw AWS status code of a peering (for precondition checks that need more than the normalized state). */
export function rawStatus(pcx: VpcPeeringConnection | undefined): string | undefined {
  return pcx?.Status?.Code;
}
