import { parseRange, sameCidr } from '../../ranges';
import type { AwsEmulatorState } from './state';
import { ownTransitRouteTable } from './transit';
import { ownedAttachment } from './transit-attachments';
import type { TgwAttachmentRecord, TgwRouteTableRecord } from './transit-types';
import { Ec2Error, type Caller } from './types';

/** One route of a TGW route table as SearchTransitGatewayRoutes shows it. */
export interface TgwRouteView {
  destination: string;
  type: 'static' | 'propagated';
  state: 'active' | 'blackhole' | 'deleted';
  attachment?: TgwAttachmentRecord;
}

function requireAvailable(a: TgwAttachmentRecord): void {
  if (a.state !== 'available') throw new Ec2Error('IncorrectState', `${a.id} is in invalid state (${a.state})`);
}

function sameTgw(table: TgwRouteTableRecord, a: TgwAttachmentRecord): void {
  if (table.transitGatewayId !== a.transitGatewayId)
    throw new Ec2Error(
      'InvalidParameterValue',
      `Route table ${table.id} and attachment ${a.id} belong to different transit gateways`,
    );
}

/** AssociateTransitGatewayRouteTable: one association per attachment (Resource.AlreadyAssociated), available only. */
export function associate(
  state: AwsEmulatorState,
  caller: Caller,
  input: { routeTableId: string; attachmentId: string },
): { table: TgwRouteTableRecord; attachment: TgwAttachmentRecord } {
  const table = ownTransitRouteTable(state, caller, input.routeTableId);
  const a = ownedAttachment(state, caller, input.attachmentId);
  sameTgw(table, a);
  requireAvailable(a);
  if (a.association !== undefined)
    throw new Ec2Error(
      'Resource.AlreadyAssociated',
      `Transit Gateway Attachment ${a.id} is already associated to a route table.`,
    );
  a.association = table.id;
  return { table, attachment: a };
}

/** DisassociateTransitGatewayRouteTable: only from the table it is associated with. */
export function disassociate(
  state: AwsEmulatorState,
  caller: Caller,
  input: { routeTableId: string; attachmentId: string },
): { table: TgwRouteTableRecord; attachment: TgwAttachmentRecord } {
  const table = ownTransitRouteTable(state, caller, input.routeTableId);
  const a = ownedAttachment(state, caller, input.attachmentId);
  requireAvailable(a);
  if (a.association !== table.id)
    throw new Ec2Error(
      'InvalidAssociation.NotFound',
      `Transit Gateway Attachment ${a.id} is not associated with route table ${table.id}.`,
    );
  delete a.association;
  return { table, attachment: a };
}

/** Enable/DisableTransitGatewayRouteTablePropagation: enabling twice is TransitGatewayRouteTablePropagation.Duplicate. */
export function setPropagation(
  state: AwsEmulatorState,
  caller: Caller,
  input: { routeTableId: string; attachmentId: string; enabled: boolean },
): { table: TgwRouteTableRecord; attachment: TgwAttachmentRecord } {
  const table = ownTransitRouteTable(state, caller, input.routeTableId);
  const a = ownedAttachment(state, caller, input.attachmentId);
  sameTgw(table, a);
  requireAvailable(a);
  const has = a.propagations.includes(table.id);
  if (input.enabled && has)
    throw new Ec2Error(
      'TransitGatewayRouteTablePropagation.Duplicate',
      `Propagation already exists for route table ${table.id} and attachment ${a.id}.`,
    );
  if (!input.enabled && !has)
    throw new Ec2Error(
      'TransitGatewayRouteTablePropagation.NotFound',
      `No propagation exists for route table ${table.id} and attachment ${a.id}.`,
    );
  a.propagations = input.enabled ? [...a.propagations, table.id] : a.propagations.filter((t) => t !== table.id);
  return { table, attachment: a };
}

/** The ranges an attachment propagates: its VPC's CIDRs, or what a VPN / Direct Connect attachment learned. */
function propagatedRanges(state: AwsEmulatorState, a: TgwAttachmentRecord): string[] {
  if (a.resourceType !== 'vpc') return a.cidrs;
  const vpc = state.vpcs.get(a.resourceId);
  return vpc ? [...vpc.ipv4, ...vpc.ipv6].map((c) => c.cidr) : [];
}

/**
 * Every route of a TGW route table: static routes (active when their attachment is available, else blackhole)
 * and one propagated route per range of each available attachment propagating into it. A static route wins over a
 * propagated one for the same destination, as on EC2.
 */
export function routesOf(state: AwsEmulatorState, table: TgwRouteTableRecord): TgwRouteView[] {
  const statics: TgwRouteView[] = table.staticRoutes.map((r) => {
    const attachment = r.attachmentId ? state.transit.attachments.get(r.attachmentId) : undefined;
    return {
      destination: r.destination,
      type: 'static',
      state: !r.blackhole && attachment?.state === 'available' ? 'active' : 'blackhole',
      ...(attachment ? { attachment } : {}),
    };
  });
  const propagated: TgwRouteView[] = [...state.transit.attachments.values()]
    .filter((a) => a.state === 'available' && a.propagations.includes(table.id))
    .flatMap((a) =>
      propagatedRanges(state, a)
        .filter((cidr) => !statics.some((s) => sameCidr(s.destination, cidr)))
        .map((cidr): TgwRouteView => ({ destination: cidr, type: 'propagated', state: 'active', attachment: a })),
    );
  return [...statics, ...propagated];
}

/** CreateTransitGatewayRoute: one static route per destination (RouteAlreadyExists), toward an attachment or blackhole. */
export function createStaticRoute(
  state: AwsEmulatorState,
  caller: Caller,
  input: { routeTableId: string; destination: string; attachmentId?: string; blackhole: boolean },
): TgwRouteView {
  const table = ownTransitRouteTable(state, caller, input.routeTableId);
  if (!parseRange(input.destination))
    throw new Ec2Error(
      'InvalidParameterValue',
      `Value (${input.destination}) for parameter destinationCidrBlock is invalid.`,
    );
  if ((input.attachmentId === undefined) === !input.blackhole)
    throw new Ec2Error(
      'InvalidParameterCombination',
      'The request must contain exactly one of transitGatewayAttachmentId or blackhole',
    );
  if (input.attachmentId) sameTgw(table, ownedAttachment(state, caller, input.attachmentId));
  if (table.staticRoutes.some((r) => sameCidr(r.destination, input.destination)))
    throw new Ec2Error(
      'RouteAlreadyExists',
      `Route ${input.destination} already exists in Transit Gateway Route Table ${table.id}.`,
    );
  const onTgw = [...state.transit.routeTables.values()]
    .filter((t) => t.transitGatewayId === table.transitGatewayId)
    .reduce((n, t) => n + t.staticRoutes.length, 0);
  if (onTgw >= state.transit.quotas.staticRoutesPerTransitGateway)
    throw new Ec2Error(
      'RouteLimitExceeded',
      `Transit Gateway ${table.transitGatewayId} has reached the limit of ${state.transit.quotas.staticRoutesPerTransitGateway} static routes.`,
    );
  table.staticRoutes.push({
    destination: input.destination,
    blackhole: input.blackhole,
    ...(input.attachmentId ? { attachmentId: input.attachmentId } : {}),
  });
  return routesOf(state, table).find((r) => r.type === 'static' && sameCidr(r.destination, input.destination))!;
}

/** DeleteTransitGatewayRoute: static routes only (InvalidRoute.NotFound otherwise). */
export function deleteStaticRoute(
  state: AwsEmulatorState,
  caller: Caller,
  input: { routeTableId: string; destination: string },
): TgwRouteView {
  const table = ownTransitRouteTable(state, caller, input.routeTableId);
  const view = routesOf(state, table).find((r) => r.type === 'static' && sameCidr(r.destination, input.destination));
  if (!view)
    throw new Ec2Error(
      'InvalidRoute.NotFound',
      `No static route ${input.destination} in Transit Gateway Route Table ${table.id}.`,
    );
  table.staticRoutes = table.staticRoutes.filter((r) => !sameCidr(r.destination, input.destination));
  return { ...view, state: 'deleted' };
}
