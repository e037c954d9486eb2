import { filters, intParam, param, stringList, type QueryObject } from '../query';
import { checkFilterNames, matchesFilters, paginate, type FilterFields } from '../state/filters';
import type { AwsEmulatorState } from '../state/state';
import { Ec2Error, type Caller, type GatewayKind, type GatewayRecord } from '../state/types';
import type { XmlObject } from '../xml';
import { tagSet } from './render';

const iso = (ms: number): string => new Date(ms).toISOString();

/** Per Describe* call: which gateways it lists, its id parameter, its result set, and one `<item>` as EC2 writes it. */
interface GatewayListing {
  kind: GatewayKind;
  idParam: string;
  notFound: string;
  set: string;
  vpcFilter: string;
  render: (g: GatewayRecord) => XmlObject;
}

const attached = (g: GatewayRecord, state: string): XmlValueList => (g.vpcId ? [{ vpcId: g.vpcId, state }] : []);
type XmlValueList = XmlObject[];

/**
 * Element names as in botocore's ec2 service-2.json (InternetGateway, NatGateway, VpnGateway, EgressOnlyInternetGateway,
 * VpcEndpoint). DescribeTransitGateways lives with the rest of the Transit Gateway API (transit-read.ts).
 */
const LISTINGS: Record<string, GatewayListing> = {
  DescribeInternetGateways: {
    kind: 'internet',
    idParam: 'InternetGatewayId',
    notFound: 'InvalidInternetGatewayID.NotFound',
    set: 'internetGatewaySet',
    vpcFilter: 'attachment.vpc-id',
    render: (g) => ({
      internetGatewayId: g.id,
      ownerId: g.account,
      attachmentSet: attached(g, 'available'),
      tagSet: tagSet(g.tags),
    }),
  },
  DescribeNatGateways: {
    kind: 'nat',
    idParam: 'NatGatewayId',
    notFound: 'NatGatewayNotFound',
    set: 'natGatewaySet',
    vpcFilter: 'vpc-id',
    render: (g) => ({
      natGatewayId: g.id,
      vpcId: g.vpcId,
      state: g.state,
      connectivityType: 'public',
      createTime: iso(g.createdAt),
      tagSet: tagSet(g.tags),
    }),
  },
  DescribeVpnGateways: {
    kind: 'vpn',
    idParam: 'VpnGatewayId',
    notFound: 'InvalidVpnGatewayID.NotFound',
    set: 'vpnGatewaySet',
    vpcFilter: 'attachment.vpc-id',
    render: (g) => ({
      vpnGatewayId: g.id,
      state: g.state,
      type: 'ipsec.1',
      attachments: attached(g, 'attached'),
      amazonSideAsn: 64512,
      tagSet: tagSet(g.tags),
    }),
  },
  DescribeEgressOnlyInternetGateways: {
    kind: 'egress-only',
    idParam: 'EgressOnlyInternetGatewayId',
    notFound: 'InvalidEgressOnlyInternetGatewayId.NotFound',
    set: 'egressOnlyInternetGatewaySet',
    vpcFilter: 'attachment.vpc-id',
    render: (g) => ({
      egressOnlyInternetGatewayId: g.id,
      attachmentSet: attached(g, 'attached'),
      tagSet: tagSet(g.tags),
    }),
  },
  DescribeVpcEndpoints: {
    kind: 'endpoint',
    idParam: 'VpcEndpointId',
    notFound: 'InvalidVpcEndpointId.NotFound',
    set: 'vpcEndpointSet',
    vpcFilter: 'vpc-id',
    render: (g) => ({
      vpcEndpointId: g.id,
      vpcEndpointType: 'Gateway',
      vpcId: g.vpcId,
      serviceName: g.serviceName,
      state: g.state,
      routeTableIdSet: g.routeTableIds ?? [],
      creationTimestamp: iso(g.createdAt),
      ownerId: g.account,
      tagSet: tagSet(g.tags),
    }),
  },
};

/** The Describe* Actions for gateways: the caller's, in the caller's region, by id or `vpc-id` filter (deleted NAT gateways stay listed, as on EC2). */
export const GATEWAY_READ_ACTIONS: Record<
  string,
  (state: AwsEmulatorState, caller: Caller, q: QueryObject) => XmlObject
> = Object.fromEntries(
  Object.entries(LISTINGS).map(([action, l]) => [
    action,
    (state: AwsEmulatorState, caller: Caller, q: QueryObject): XmlObject => {
      const fields: FilterFields<GatewayRecord> = { [l.vpcFilter]: (g) => [g.vpcId], state: (g) => [g.state] };
      const fs = filters(q);
      checkFilterNames(fs, fields);
      const mine = [...state.gateways.values()].filter(
        (g) =>
          g.kind === l.kind &&
          g.account === caller.account &&
          g.region === caller.region &&
          (g.state !== 'deleted' || g.kind === 'nat'),
      );
      const ids = stringList(q, l.idParam);
      for (const id of ids)
        if (!mine.some((g) => g.id === id))
          throw new Ec2Error(l.notFound, `The ${l.idParam.replace(/Ids?$/, '')} ID '${id}' does not exist`);
      const picked = mine.filter(
        (g) => (ids.length === 0 || ids.includes(g.id)) && matchesFilters(g, fs, fields, (r) => r.tags),
      );
      const { page, nextToken } = paginate(picked, intParam(q, 'MaxResults'), param(q, 'NextToken'), {
        min: 5,
        max: 1000,
      });
      return { [l.set]: page.map(l.render), nextToken };
    },
  ]),
);
