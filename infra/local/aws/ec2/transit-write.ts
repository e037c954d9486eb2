import { boolParam, param, stringList, struct, tagSpecifications, type QueryObject } from '../query';
import type { AwsEmulatorState } from '../state/state';
import { createTransitGateway, createTransitRouteTable } from '../state/transit';
import {
  acceptAttachment,
  createVpcAttachment,
  deleteAttachment,
  rejectAttachment,
} from '../state/transit-attachments';
import {
  associate,
  createStaticRoute,
  deleteStaticRoute,
  disassociate,
  setPropagation,
} from '../state/transit-routing';
import { Ec2Error, type Caller } from '../state/types';
import type { XmlObject } from '../xml';
import {
  renderLink,
  renderTransitGateway,
  renderTransitRoute,
  renderTransitRouteTable,
  renderVpcAttachment,
} from './transit-render';

type Handler = (state: AwsEmulatorState, caller: Caller, q: QueryObject) => XmlObject;

function required(q: QueryObject, name: string): string {
  const v = param(q, name);
  if (v === undefined || v === '')
    throw new Ec2Error(
      'MissingParameter',
      `The request must contain the parameter ${name.charAt(0).toLowerCase()}${name.slice(1)}`,
    );
  return v;
}

/** The TGW calls name their tag specifications `TagSpecifications.N` (CreateTransitGateway: `TagSpecification.N`). */
function tagsFor(q: QueryObject, resourceType: string): Record<string, string> {
  const plural = q.TagSpecifications;
  return {
    ...tagSpecifications(q, resourceType),
    ...(plural === undefined ? {} : tagSpecifications({ TagSpecification: plural }, resourceType)),
  };
}

function enabled(options: QueryObject, name: string): boolean | undefined {
  const v = param(options, name);
  return v === undefined ? undefined : v === 'enable';
}

const link = (q: QueryObject) => ({
  routeTableId: required(q, 'TransitGatewayRouteTableId'),
  attachmentId: required(q, 'TransitGatewayAttachmentId'),
});

/**
 * The mutating TGW Actions. Each response shows the transient state EC2 reports (pending, associating, enabling,
 * deleting…) while the stored record settles on the next TGW call (TransitStore.settle).
 */
export const TRANSIT_WRITE_ACTIONS: Record<string, Handler> = {
  CreateTransitGateway: (state, caller, q) => {
    const options = struct(q, 'Options');
    const asn = param(options, 'AmazonSideAsn');
    const tgw = createTransitGateway(state, {
      account: caller.account,
      region: caller.region,
      tags: tagsFor(q, 'transit-gateway'),
      ...(asn ? { amazonSideAsn: Number(asn) } : {}),
      autoAcceptSharedAttachments: enabled(options, 'AutoAcceptSharedAttachments'),
      defaultRouteTableAssociation: enabled(options, 'DefaultRouteTableAssociation'),
      defaultRouteTablePropagation: enabled(options, 'DefaultRouteTablePropagation'),
    });
    return { transitGateway: { ...renderTransitGateway(state, tgw), state: 'pending' } };
  },
  CreateTransitGatewayRouteTable: (state, caller, q) => {
    const id = required(q, 'TransitGatewayId');
    const tgw = state.gateways.get(id);
    if (!tgw || tgw.account !== caller.account || tgw.region !== caller.region)
      throw new Ec2Error('InvalidTransitGatewayID.NotFound', `Transit Gateway ${id} was deleted or does not exist.`);
    const table = createTransitRouteTable(state, {
      transitGatewayId: id,
      tags: tagsFor(q, 'transit-gateway-route-table'),
    });
    return { transitGatewayRouteTable: { ...renderTransitRouteTable(table), state: 'pending' } };
  },
  CreateTransitGatewayVpcAttachment: (state, caller, q) => {
    const a = createVpcAttachment(state, caller, {
      transitGatewayId: required(q, 'TransitGatewayId'),
      vpcId: required(q, 'VpcId'),
      subnetIds: stringList(q, 'SubnetIds'),
      tags: tagsFor(q, 'transit-gateway-attachment'),
    });
    return { transitGatewayVpcAttachment: renderVpcAttachment(caller, a) };
  },
  AcceptTransitGatewayVpcAttachment: (state, caller, q) => {
    const a = acceptAttachment(state, caller, required(q, 'TransitGatewayAttachmentId'));
    return { transitGatewayVpcAttachment: renderVpcAttachment(caller, a) };
  },
  RejectTransitGatewayVpcAttachment: (state, caller, q) => {
    const a = rejectAttachment(state, caller, required(q, 'TransitGatewayAttachmentId'));
    return { transitGatewayVpcAttachment: renderVpcAttachment(caller, a) };
  },
  DeleteTransitGatewayVpcAttachment: (state, caller, q) => {
    const a = deleteAttachment(state, caller, required(q, 'TransitGatewayAttachmentId'));
    return { transitGatewayVpcAttachment: renderVpcAttachment(caller, a) };
  },
  AssociateTransitGatewayRouteTable: (state, caller, q) => {
    const { table, attachment } = associate(state, caller, link(q));
    return { association: renderLink(table, attachment, 'associating') };
  },
  DisassociateTransitGatewayRouteTable: (state, caller, q) => {
    const { table, attachment } = disassociate(state, caller, link(q));
    return { association: renderLink(table, attachment, 'disassociating') };
  },
  EnableTransitGatewayRouteTablePropagation: (state, caller, q) => {
    const { table, attachment } = setPropagation(state, caller, { ...link(q), enabled: true });
    return { propagation: renderLink(table, attachment, 'enabling') };
  },
  DisableTransitGatewayRouteTablePropagation: (state, caller, q) => {
    const { table, attachment } = setPropagation(state, caller, { ...link(q), enabled: false });
    return { propagation: renderLink(table, attachment, 'disabling') };
  },
  CreateTransitGatewayRoute: (state, caller, q) => {
    const attachmentId = param(q, 'TransitGatewayAttachmentId');
    const route = createStaticRoute(state, caller, {
      routeTableId: required(q, 'TransitGatewayRouteTableId'),
      destination: required(q, 'DestinationCidrBlock'),
      blackhole: boolParam(q, 'Blackhole') ?? false,
      ...(attachmentId ? { attachmentId } : {}),
    });
    return { route: renderTransitRoute(route) };
  },
  DeleteTransitGatewayRoute: (state, caller, q) => {
    const route = deleteStaticRoute(state, caller, {
      routeTableId: required(q, 'TransitGatewayRouteTableId'),
      destination: required(q, 'DestinationCidrBlock'),
    });
    return { route: renderTransitRoute(route) };
  },
};
