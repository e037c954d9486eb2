import { filters, intParam, param, stringList, type QueryObject } from '../query';
import { checkFilterNames, matchesFilters, paginate, type FilterFields } from '../state/filters';
import type { AwsEmulatorState } from '../state/state';
import { Ec2Error, type Caller, type PeeringRecord, type RouteTableRecord, type VpcRecord } from '../state/types';
import type { XmlObject } from '../xml';
import { renderPeering, renderRouteTable, renderVpc } from './render';

const VPC_FIELDS: FilterFields<VpcRecord> = {
  'vpc-id': (v) => [v.id],
  'owner-id': (v) => [v.account],
  state: () => ['available'],
  'is-default': (v) => [String(v.isDefault)],
  cidr: (v) => [v.ipv4[0]?.cidr],
  'cidr-block-association.cidr-block': (v) => v.ipv4.map((c) => c.cidr),
  'cidr-block-association.association-id': (v) => v.ipv4.map((c) => c.associationId),
  'ipv6-cidr-block-association.ipv6-cidr-block': (v) => v.ipv6.map((c) => c.cidr),
};

function routeTableFields(state: AwsEmulatorState): FilterFields<RouteTableRecord> {
  return {
    'route-table-id': (t) => [t.id],
    'vpc-id': (t) => [t.vpcId],
    'owner-id': (t) => [t.account],
    'association.main': (t) => [String(t.main)],
    'association.route-table-association-id': (t) => (t.main ? [t.associationId] : []),
    'route.destination-cidr-block': (t) => t.routes.filter((r) => !r.ipv6 && !r.prefixList).map((r) => r.destination),
    'route.destination-ipv6-cidr-block': (t) => t.routes.filter((r) => r.ipv6).map((r) => r.destination),
    'route.destination-prefix-list-id': (t) => t.routes.filter((r) => r.prefixList).map((r) => r.destination),
    'route.vpc-peering-connection-id': (t) => t.routes.map((r) => r.vpcPeeringConnectionId),
    'route.gateway-id': (t) => t.routes.map((r) => r.gatewayId),
    'route.nat-gateway-id': (t) => t.routes.map((r) => r.natGatewayId),
    'route.transit-gateway-id': (t) => t.routes.map((r) => r.transitGatewayId),
    'route.origin': (t) => t.routes.map((r) => r.origin),
    'route.state': (t) => t.routes.map((r) => state.routeState(r)),
  };
}

const PEERING_FIELDS: FilterFields<PeeringRecord> = {
  'vpc-peering-connection-id': (p) => [p.id],
  'status-code': (p) => [p.status],
  'status-message': (p) => [p.message],
  'expiration-time': (p) => [new Date(p.expiresAt).toISOString()],
  'requester-vpc-info.owner-id': (p) => [p.requester.account],
  'requester-vpc-info.vpc-id': (p) => [p.requester.vpcId],
  'accepter-vpc-info.owner-id': (p) => [p.accepter.account],
  'accepter-vpc-info.vpc-id': (p) => [p.accepter.vpcId],
};

/** Ids asked for explicitly must all exist (EC2 answers NotFound naming the first missing one). */
function byIds<T extends { id: string }>(all: T[], ids: string[], notFound: (id: string) => Ec2Error): T[] {
  if (ids.length === 0) return all;
  return ids.map((id) => {
    const hit = all.find((r) => r.id === id);
    if (!hit) throw notFound(id);
    return hit;
  });
}

/** DescribeVpcs: the caller's VPCs in the caller's region. MaxResults 5–1000. */
export function describeVpcs(state: AwsEmulatorState, caller: Caller, q: QueryObject): XmlObject {
  const fs = filters(q);
  checkFilterNames(fs, VPC_FIELDS);
  const mine = [...state.vpcs.values()].filter((v) => v.account === caller.account && v.region === caller.region);
  const picked = byIds(
    mine,
    stringList(q, 'VpcId'),
    (id) => new Ec2Error('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`),
  ).filter((v) => matchesFilters(v, fs, VPC_FIELDS, (r) => r.tags));
  const { page, nextToken } = paginate(picked, intParam(q, 'MaxResults'), param(q, 'NextToken'), { min: 5, max: 1000 });
  return { vpcSet: page.map(renderVpc), nextToken };
}

/** DescribeRouteTables: the caller's tables in the caller's region. MaxResults 5–100. */
export function describeRouteTables(state: AwsEmulatorState, caller: Caller, q: QueryObject): XmlObject {
  const fields = routeTableFields(state);
  const fs = filters(q);
  checkFilterNames(fs, fields);
  const mine = [...state.routeTables.values()].filter(
    (t) => t.account === caller.account && t.region === caller.region,
  );
  const picked = byIds(
    mine,
    stringList(q, 'RouteTableId'),
    (id) => new Ec2Error('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`),
  ).filter((t) => matchesFilters(t, fs, fields, (r) => r.tags));
  const { page, nextToken } = paginate(picked, intParam(q, 'MaxResults'), param(q, 'NextToken'), { min: 5, max: 100 });
  return { routeTableSet: page.map((t) => renderRouteTable(state, t)), nextToken };
}

/** DescribeVpcPeeringConnections: peerings with a side in the caller's account and region. MaxResults 5–1000. */
export function describePeerings(state: AwsEmulatorState, caller: Caller, q: QueryObject): XmlObject {
  state.refresh();
  const fs = filters(q);
  checkFilterNames(fs, PEERING_FIELDS);
  const visible = [...state.peerings.values()].filter((p) => state.peeringVisibleTo(caller, p));
  const picked = byIds(
    visible,
    stringList(q, 'VpcPeeringConnectionId'),
    (id) =>
      new Ec2Error('InvalidVpcPeeringConnectionID.NotFound', `The vpcPeeringConnection ID '${id}' does not exist`),
  ).filter((p) => matchesFilters(p, fs, PEERING_FIELDS, (r) => r.tags.get(caller.account) ?? {}));
  const { page, nextToken } = paginate(picked, intParam(q, 'MaxResults'), param(q, 'NextToken'), { min: 5, max: 1000 });
  return { vpcPeeringConnectionSet: page.map((p) => renderPeering(state, caller, p)), nextToken };
}
