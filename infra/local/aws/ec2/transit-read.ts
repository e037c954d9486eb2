import { filters, intParam, param, stringList, type QueryObject } from '../query';
import { checkFilterNames, matchesFilters, paginate, type Filter, type FilterFields } from '../state/filters';
import type { AwsEmulatorState } from '../state/state';
import { ownTransitRouteTable } from '../state/transit';
import { attachmentVisibleTo, visibleAttachment } from '../state/transit-attachments';
import { routesOf, type TgwRouteView } from '../state/transit-routing';
import type { SubnetRecord, TgwAttachmentRecord, TgwRouteTableRecord } from '../state/transit-types';
import { Ec2Error, type Caller, type GatewayRecord } from '../state/types';
import type { XmlObject } from '../xml';
import {
  renderAttachment,
  renderSubnet,
  renderTableLink,
  renderTransitGateway,
  renderTransitRoute,
  renderTransitRouteTable,
  renderVpcAttachment,
} from './transit-render';

type Handler = (state: AwsEmulatorState, caller: Caller, q: QueryObject) => XmlObject;

const TGW_FIELDS: FilterFields<GatewayRecord> = {
  'transit-gateway-id': (g) => [g.id],
  'owner-id': (g) => [g.account],
  state: (g) => [g.state],
};
const TABLE_FIELDS: FilterFields<TgwRouteTableRecord> = {
  'transit-gateway-route-table-id': (t) => [t.id],
  'transit-gateway-id': (t) => [t.transitGatewayId],
  state: (t) => [t.state],
  'default-association-route-table': (t) => [String(t.defaultAssociation)],
  'default-propagation-route-table': (t) => [String(t.defaultPropagation)],
};
const ATTACHMENT_FIELDS: FilterFields<TgwAttachmentRecord> = {
  'transit-gateway-attachment-id': (a) => [a.id],
  'transit-gateway-id': (a) => [a.transitGatewayId],
  'transit-gateway-owner-id': (a) => [a.transitGatewayOwner],
  'resource-id': (a) => [a.resourceId],
  'resource-owner-id': (a) => [a.resourceOwner],
  'resource-type': (a) => [a.resourceType],
  state: (a) => [a.state],
  'association.transit-gateway-route-table-id': (a) => [a.association],
  'association.state': (a) => [a.association ? 'associated' : undefined],
};
const VPC_ATTACHMENT_FIELDS: FilterFields<TgwAttachmentRecord> = {
  'transit-gateway-attachment-id': (a) => [a.id],
  'transit-gateway-id': (a) => [a.transitGatewayId],
  'vpc-id': (a) => [a.resourceId],
  state: (a) => [a.state],
};
const LINK_FIELDS: FilterFields<TgwAttachmentRecord> = {
  'transit-gateway-attachment-id': (a) => [a.id],
  'resource-id': (a) => [a.resourceId],
  'resource-type': (a) => [a.resourceType],
};
const ROUTE_FIELDS: FilterFields<TgwRouteView> = {
  type: (r) => [r.type],
  state: (r) => [r.state],
  'attachment.transit-gateway-attachment-id': (r) => [r.attachment?.id],
  'attachment.resource-id': (r) => [r.attachment?.resourceId],
  'attachment.resource-type': (r) => [r.attachment?.resourceType],
  'route-search.exact-match': (r) => [r.destination],
};
const SUBNET_FIELDS: FilterFields<SubnetRecord> = {
  'subnet-id': (s) => [s.id],
  'vpc-id': (s) => [s.vpcId],
  'owner-id': (s) => [s.account],
  'availability-zone': (s) => [s.availabilityZone],
  'cidr-block': (s) => [s.cidr],
  state: () => ['available'],
};

/** Ids asked for explicitly must all be visible; then filters, then MaxResults / NextToken (5–1000 unless said). */
function list<T extends { id: string }>(
  q: QueryObject,
  input: {
    all: T[];
    idParam: string;
    notFound: (id: string) => Ec2Error;
    fields: FilterFields<T>;
    tags: (r: T) => Record<string, string>;
    bounds?: { min: number; max: number };
  },
): { page: T[]; nextToken?: string } {
  const fs: Filter[] = filters(q);
  checkFilterNames(fs, input.fields);
  const ids = stringList(q, input.idParam);
  for (const id of ids) if (!input.all.some((r) => r.id === id)) throw input.notFound(id);
  const picked = input.all.filter(
    (r) => (ids.length === 0 || ids.includes(r.id)) && matchesFilters(r, fs, input.fields, input.tags),
  );
  return paginate(picked, intParam(q, 'MaxResults'), param(q, 'NextToken'), input.bounds ?? { min: 5, max: 1000 });
}

const attachmentNotFound = (id: string) =>
  new Ec2Error(
    'InvalidTransitGatewayAttachmentID.NotFound',
    `Transit Gateway Attachment ${id} was deleted or does not exist.`,
  );

function required(q: QueryObject, name: string): string {
  const v = param(q, name);
  if (!v) throw new Ec2Error('MissingParameter', `The request must contain the parameter ${name}`);
  return v;
}

/** Attachments of a route table's TGW, filtered by LINK_FIELDS, as associations or propagations. */
function tableLinks(
  state: AwsEmulatorState,
  caller: Caller,
  q: QueryObject,
  linked: (a: TgwAttachmentRecord, table: TgwRouteTableRecord) => boolean,
): TgwAttachmentRecord[] {
  const table = ownTransitRouteTable(state, caller, required(q, 'TransitGatewayRouteTableId'));
  const fs = filters(q);
  checkFilterNames(fs, LINK_FIELDS);
  return [...state.transit.attachments.values()].filter(
    (a) => linked(a, table) && matchesFilters(a, fs, LINK_FIELDS, () => ({})),
  );
}

/** The TGW read Actions: each settles transient attachment states first (see TransitStore.settle). */
export const TRANSIT_READ_ACTIONS: Record<string, Handler> = {
  DescribeTransitGateways: (state, caller, q) => {
    const mine = [...state.gateways.values()].filter(
      (g) =>
        g.kind === 'transit' && g.account === caller.account && g.region === caller.region && g.state !== 'deleted',
    );
    const { page, nextToken } = list(q, {
      all: mine,
      idParam: 'TransitGatewayIds',
      notFound: (id) =>
        new Ec2Error('InvalidTransitGatewayID.NotFound', `Transit Gateway ${id} was deleted or does not exist.`),
      fields: TGW_FIELDS,
      tags: (g) => g.tags,
    });
    return { transitGatewaySet: page.map((g) => renderTransitGateway(state, g)), nextToken };
  },
  DescribeTransitGatewayRouteTables: (state, caller, q) => {
    const mine = [...state.transit.routeTables.values()].filter(
      (t) => t.account === caller.account && t.region === caller.region,
    );
    const { page, nextToken } = list(q, {
      all: mine,
      idParam: 'TransitGatewayRouteTableIds',
      notFound: (id) =>
        new Ec2Error(
          'InvalidRouteTableID.NotFound',
          `Transit Gateway Route Table ${id} was deleted or does not exist.`,
        ),
      fields: TABLE_FIELDS,
      tags: (t) => t.tags,
    });
    return { transitGatewayRouteTables: page.map(renderTransitRouteTable), nextToken };
  },
  DescribeTransitGatewayAttachments: (state, caller, q) => {
    const visible = [...state.transit.attachments.values()].filter((a) => attachmentVisibleTo(state, caller, a));
    const { page, nextToken } = list(q, {
      all: visible,
      idParam: 'TransitGatewayAttachmentIds',
      notFound: attachmentNotFound,
      fields: ATTACHMENT_FIELDS,
      tags: (a) => a.tags.get(caller.account) ?? {},
    });
    return { transitGatewayAttachments: page.map((a) => renderAttachment(caller, a)), nextToken };
  },
  DescribeTransitGatewayVpcAttachments: (state, caller, q) => {
    const visible = [...state.transit.attachments.values()].filter(
      (a) => a.resourceType === 'vpc' && attachmentVisibleTo(state, caller, a),
    );
    const { page, nextToken } = list(q, {
      all: visible,
      idParam: 'TransitGatewayAttachmentIds',
      notFound: attachmentNotFound,
      fields: VPC_ATTACHMENT_FIELDS,
      tags: (a) => a.tags.get(caller.account) ?? {},
    });
    return { transitGatewayVpcAttachments: page.map((a) => renderVpcAttachment(caller, a)), nextToken };
  },
  GetTransitGatewayRouteTableAssociations: (state, caller, q) => {
    const linked = tableLinks(state, caller, q, (a, t) => a.association === t.id);
    const { page, nextToken } = paginate(linked, intParam(q, 'MaxResults'), param(q, 'NextToken'), {
      min: 5,
      max: 1000,
    });
    return { associations: page.map((a) => renderTableLink(a, 'associated')), nextToken };
  },
  GetTransitGatewayRouteTablePropagations: (state, caller, q) => {
    const linked = tableLinks(state, caller, q, (a, t) => a.propagations.includes(t.id));
    const { page, nextToken } = paginate(linked, intParam(q, 'MaxResults'), param(q, 'NextToken'), {
      min: 5,
      max: 1000,
    });
    return { transitGatewayRouteTablePropagations: page.map((a) => renderTableLink(a, 'enabled')), nextToken };
  },
  GetTransitGatewayAttachmentPropagations: (state, caller, q) => {
    const a = visibleAttachment(state, caller, required(q, 'TransitGatewayAttachmentId'));
    const fs = filters(q);
    const fields: FilterFields<string> = { 'transit-gateway-route-table-id': (t) => [t] };
    checkFilterNames(fs, fields);
    const tables = a.propagations.filter((t) => matchesFilters(t, fs, fields, () => ({})));
    const { page, nextToken } = paginate(tables, intParam(q, 'MaxResults'), param(q, 'NextToken'), {
      min: 5,
      max: 1000,
    });
    return {
      transitGatewayAttachmentPropagations: page.map((t) => ({ transitGatewayRouteTableId: t, state: 'enabled' })),
      nextToken,
    };
  },
  /**
   * SearchTransitGatewayRoutes: Filter is required; at most MaxResults (5–1000, default 1000) routes, then
   * additionalRoutesAvailable (and a NextToken unless `routeSearchPages` is off, as on older EC2).
   */
  SearchTransitGatewayRoutes: (state, caller, q) => {
    const table = ownTransitRouteTable(state, caller, required(q, 'TransitGatewayRouteTableId'));
    const fs = filters(q);
    if (fs.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter filter');
    checkFilterNames(fs, ROUTE_FIELDS);
    const routes = routesOf(state, table).filter((r) => matchesFilters(r, fs, ROUTE_FIELDS, () => ({})));
    const { page, nextToken } = paginate(routes, intParam(q, 'MaxResults') ?? 1000, param(q, 'NextToken'), {
      min: 5,
      max: 1000,
    });
    return {
      routeSet: page.map(renderTransitRoute),
      additionalRoutesAvailable: nextToken !== undefined,
      nextToken: state.transit.routeSearchPages ? nextToken : undefined,
    };
  },
  DescribeSubnets: (state, caller, q) => {
    const mine = [...state.transit.subnets.values()].filter(
      (s) => s.account === caller.account && s.region === caller.region,
    );
    const { page, nextToken } = list(q, {
      all: mine,
      idParam: 'SubnetId',
      notFound: (id) => new Ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`),
      fields: SUBNET_FIELDS,
      tags: (s) => s.tags,
    });
    return { subnetSet: page.map(renderSubnet), nextToken };
  },
};
