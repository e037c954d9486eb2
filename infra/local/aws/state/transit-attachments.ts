import type { AwsEmulatorState } from './state';
import { optionsOf, transitGateway } from './transit';
import type { TgwAttachmentRecord, TgwAttachmentStateCode, TgwResourceType } from './transit-types';
import { Ec2Error, type Caller, type Tags } from './types';

/** States in which an attachment still holds its VPC (a second one to the same TGW is a duplicate). */
const LIVE: readonly TgwAttachmentStateCode[] = [
  'initiating',
  'pendingAcceptance',
  'pending',
  'available',
  'modifying',
];

function notFound(id: string): Ec2Error {
  return new Ec2Error(
    'InvalidTransitGatewayAttachmentID.NotFound',
    `Transit Gateway Attachment ${id} was deleted or does not exist.`,
  );
}

function incorrectState(a: TgwAttachmentRecord): Ec2Error {
  return new Ec2Error('IncorrectState', `${a.id} is in invalid state (${a.state})`);
}

/** The TGW's owner and the resource's owner both see an attachment, in the TGW's region, once EC2 has caught up. */
export function attachmentVisibleTo(state: AwsEmulatorState, caller: Caller, a: TgwAttachmentRecord): boolean {
  return (
    state.transit.calls > a.hiddenUntilCall &&
    a.region === caller.region &&
    (a.transitGatewayOwner === caller.account || a.resourceOwner === caller.account)
  );
}

/** An attachment the caller can see, or EC2's NotFound. */
export function visibleAttachment(state: AwsEmulatorState, caller: Caller, id: string): TgwAttachmentRecord {
  const a = state.transit.attachments.get(id);
  if (!a || !attachmentVisibleTo(state, caller, a)) throw notFound(id);
  return a;
}

/** An attachment of a TGW the caller owns (accept, reject, routing), or NotFound / OperationNotPermitted. */
export function ownedAttachment(state: AwsEmulatorState, caller: Caller, id: string): TgwAttachmentRecord {
  const a = visibleAttachment(state, caller, id);
  if (a.transitGatewayOwner !== caller.account)
    throw new Ec2Error(
      'OperationNotPermitted',
      `Only the owner of ${a.transitGatewayId} may do this to ${id} (caller ${caller.account})`,
    );
  return a;
}

function newAttachment(
  state: AwsEmulatorState,
  input: {
    transitGatewayId: string;
    region: string;
    owner: string;
    resourceType: TgwResourceType;
    resourceId: string;
    resourceOwner: string;
    subnetIds?: string[];
    cidrs?: string[];
    tags?: Tags;
  },
): TgwAttachmentRecord {
  const onTgw = [...state.transit.attachments.values()].filter(
    (a) => a.transitGatewayId === input.transitGatewayId && LIVE.includes(a.state),
  );
  if (onTgw.length >= state.transit.quotas.attachmentsPerTransitGateway)
    throw new Ec2Error(
      'TransitGatewayAttachmentLimitExceeded',
      `Transit Gateway ${input.transitGatewayId} has reached the limit of ${state.transit.quotas.attachmentsPerTransitGateway} attachments.`,
    );
  const a: TgwAttachmentRecord = {
    id: state.newId('tgw-attach'),
    transitGatewayId: input.transitGatewayId,
    region: input.region,
    transitGatewayOwner: input.owner,
    resourceType: input.resourceType,
    resourceId: input.resourceId,
    resourceOwner: input.resourceOwner,
    state: 'pending',
    settleIn: state.transit.settleCalls,
    subnetIds: input.subnetIds ?? [],
    createdAt: state.now().getTime(),
    tags: new Map(input.tags && Object.keys(input.tags).length > 0 ? [[input.resourceOwner, { ...input.tags }]] : []),
    propagations: [],
    cidrs: input.cidrs ?? [],
    hiddenUntilCall: state.transit.calls + state.transit.visibilityCalls,
    defaultsApplied: false,
  };
  state.transit.attachments.set(a.id, a);
  return a;
}

/**
 * CreateTransitGatewayVpcAttachment, from the VPC's owner: one subnet per Availability Zone of the VPC; a second
 * live attachment of the VPC to the TGW is DuplicateTransitGatewayAttachment. A cross-account attachment waits in
 * pendingAcceptance unless the TGW auto-accepts shared attachments; a same-account one goes pending → available.
 */
export function createVpcAttachment(
  state: AwsEmulatorState,
  caller: Caller,
  input: { transitGatewayId: string; vpcId: string; subnetIds: string[]; tags?: Tags },
): TgwAttachmentRecord {
  const tgw = transitGateway(state, input.transitGatewayId, caller.region);
  const vpc = state.ownVpc(caller, input.vpcId);
  if (input.subnetIds.length === 0)
    throw new Ec2Error('MissingParameter', 'The request must contain the parameter subnetIds');
  const zones = new Set<string>();
  for (const id of input.subnetIds) {
    const subnet = state.transit.subnets.get(id);
    if (!subnet || subnet.account !== caller.account || subnet.region !== caller.region)
      throw new Ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
    if (subnet.vpcId !== vpc.id)
      throw new Ec2Error('InvalidParameterValue', `Subnet ${id} does not belong to VPC ${vpc.id}`);
    if (zones.has(subnet.availabilityZone))
      throw new Ec2Error('DuplicateSubnetsInSameZone', 'Duplicate Subnets for same AZ');
    zones.add(subnet.availabilityZone);
  }
  const duplicate = [...state.transit.attachments.values()].find(
    (a) => a.transitGatewayId === tgw.id && a.resourceId === vpc.id && LIVE.includes(a.state),
  );
  if (duplicate)
    throw new Ec2Error(
      'DuplicateTransitGatewayAttachment',
      `${tgw.id} has non-deleted Transit Gateway Attachments with same VPC ID.`,
    );
  const a = newAttachment(state, {
    transitGatewayId: tgw.id,
    region: caller.region,
    owner: tgw.account,
    resourceType: 'vpc',
    resourceId: vpc.id,
    resourceOwner: caller.account,
    subnetIds: [...input.subnetIds],
    ...(input.tags ? { tags: input.tags } : {}),
  });
  if (tgw.account !== caller.account && !optionsOf(state, tgw.id).autoAcceptSharedAttachments) {
    a.state = 'pendingAcceptance';
    a.settleIn = 0;
  }
  return a;
}

/** AcceptTransitGatewayVpcAttachment: the TGW's owner, only while pendingAcceptance; then pending → available. */
export function acceptAttachment(state: AwsEmulatorState, caller: Caller, id: string): TgwAttachmentRecord {
  const a = ownedAttachment(state, caller, id);
  if (a.state !== 'pendingAcceptance') throw incorrectState(a);
  state.transit.moveTo(a, 'pending');
  return a;
}

/** RejectTransitGatewayVpcAttachment: the TGW's owner, only while pendingAcceptance. */
export function rejectAttachment(state: AwsEmulatorState, caller: Caller, id: string): TgwAttachmentRecord {
  const a = ownedAttachment(state, caller, id);
  if (a.state !== 'pendingAcceptance') throw incorrectState(a);
  state.transit.moveTo(a, 'rejecting');
  return a;
}

/**
 * DeleteTransitGatewayVpcAttachment: the TGW's owner or the VPC's owner. Its association and propagations go with
 * it (propagated routes vanish; static routes to it turn blackhole). A deleted one is NotFound.
 */
export function deleteAttachment(state: AwsEmulatorState, caller: Caller, id: string): TgwAttachmentRecord {
  const a = visibleAttachment(state, caller, id);
  if (a.state === 'deleted') throw notFound(id);
  if (!['available', 'pendingAcceptance', 'rejected', 'failed'].includes(a.state)) throw incorrectState(a);
  delete a.association;
  a.propagations = [];
  state.transit.moveTo(a, 'deleting');
  return a;
}

/**
 * Seeds a VPN or Direct Connect gateway attachment on a TGW (an interconnect: observed, never created by
 * peerkeeper), available at once, propagating the ranges it learned over BGP into the given route tables.
 */
export function seedInterconnectAttachment(
  state: AwsEmulatorState,
  input: {
    transitGatewayId: string;
    resourceType: 'vpn' | 'direct-connect-gateway';
    cidrs: string[];
    association?: string;
    propagations?: string[];
    tags?: Tags;
  },
): TgwAttachmentRecord {
  const tgw = state.gateways.get(input.transitGatewayId);
  if (!tgw || tgw.kind !== 'transit')
    throw new Ec2Error('InvalidTransitGatewayID.NotFound', `Transit Gateway ${input.transitGatewayId} does not exist.`);
  const resourceId =
    input.resourceType === 'vpn'
      ? state.newId('vpn')
      : state
          .newId('dxgw')
          .replace(/^dxgw-/, '')
          .slice(0, 12);
  const a = newAttachment(state, {
    transitGatewayId: tgw.id,
    region: tgw.region,
    owner: tgw.account,
    resourceType: input.resourceType,
    resourceId,
    resourceOwner: tgw.account,
    cidrs: input.cidrs,
    ...(input.tags ? { tags: input.tags } : {}),
  });
  a.state = 'available';
  a.settleIn = 0;
  a.defaultsApplied = true;
  if (input.association) a.association = input.association;
  a.propagations = [...(input.propagations ?? [])];
  return a;
}
