import { cidrsOverlap } from '../../ranges';
import { PEERING_REQUEST_TTL_MS, type AwsEmulatorState } from './state';
import { Ec2Error, type Caller, type PeeringRecord, type PeeringStatusCode, type Tags } from './types';

/** The transient status a call's own response shows, while the stored record has already moved on. */
export interface ShownStatus {
  code: PeeringStatusCode;
  message: string;
}

const LIVE: readonly PeeringStatusCode[] = ['initiating-request', 'pending-acceptance', 'provisioning', 'active'];

function invalidTransition(p: PeeringRecord, to: string): Ec2Error {
  return new Ec2Error(
    'InvalidStateTransition',
    `Invalid state transition for ${p.id}, attempted to transition from ${p.status} to ${to}`,
  );
}

/**
 * CreateVpcPeeringConnection: the caller must own the requester VPC in its region. The request then
 * waits for the accepter (pending-acceptance), or fails at once on overlapping CIDRs or an unknown peer VPC.
 */
export function createPeering(
  state: AwsEmulatorState,
  caller: Caller,
  input: { vpcId: string; peerVpcId: string; peerOwnerId?: string; peerRegion?: string; tags?: Tags },
): { peering: PeeringRecord; shown: ShownStatus } {
  state.refresh();
  const requester = state.ownVpc(caller, input.vpcId);
  const peerAccount = input.peerOwnerId ?? caller.account;
  const peerRegion = input.peerRegion ?? caller.region;
  const pending = [...state.peerings.values()].filter(
    (p) => p.requester.account === caller.account && p.status === 'pending-acceptance',
  );
  if (pending.length >= state.quotas.pendingPeeringsPerAccount) {
    throw new Ec2Error(
      'OutstandingVpcPeeringConnectionLimitExceeded',
      `You have reached the limit of ${state.quotas.pendingPeeringsPerAccount} outstanding VPC peering connection requests.`,
    );
  }
  const duplicate = [...state.peerings.values()].find(
    (p) =>
      LIVE.includes(p.status) &&
      ((p.requester.vpcId === input.vpcId && p.accepter.vpcId === input.peerVpcId) ||
        (p.requester.vpcId === input.peerVpcId && p.accepter.vpcId === input.vpcId)),
  );
  if (duplicate) {
    throw new Ec2Error(
      'VpcPeeringConnectionAlreadyExists',
      `A VPC peering connection between ${input.vpcId} and ${input.peerVpcId} already exists (${duplicate.id}).`,
    );
  }
  const now = state.now().getTime();
  const peer = state.vpcs.get(input.peerVpcId);
  const peerMatches =
    peer !== undefined && peer.account === peerAccount && peer.region === peerRegion && peer.id !== requester.id;
  const overlaps =
    peerMatches &&
    [...requester.ipv4, ...requester.ipv6].some((a) =>
      [...peer.ipv4, ...peer.ipv6].some((b) => cidrsOverlap(a.cidr, b.cidr)),
    );
  const ok = peerMatches && !overlaps;
  const peering: PeeringRecord = {
    id: state.newId('pcx'),
    requester: {
      account: caller.account,
      region: caller.region,
      vpcId: input.vpcId,
      allowDnsResolutionFromRemoteVpc: false,
    },
    accepter: {
      account: peerAccount,
      region: peerRegion,
      vpcId: input.peerVpcId,
      allowDnsResolutionFromRemoteVpc: false,
    },
    status: ok ? 'pending-acceptance' : 'failed',
    message: ok
      ? `Pending Acceptance by ${peerAccount}`
      : 'Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range',
    createdAt: now,
    expiresAt: now + PEERING_REQUEST_TTL_MS,
    tags: new Map(input.tags && Object.keys(input.tags).length > 0 ? [[caller.account, { ...input.tags }]] : []),
    visibleAfter: Date.now() + state.visibilityDelayMs,
  };
  state.peerings.set(peering.id, peering);
  return { peering, shown: { code: 'initiating-request', message: `Initiating Request to ${peerAccount}` } };
}

/** AcceptVpcPeeringConnection: only the accepter account, only in the accepter's region, only while pending. */
export function acceptPeering(
  state: AwsEmulatorState,
  caller: Caller,
  id: string,
): { peering: PeeringRecord; shown: ShownStatus } {
  state.refresh();
  const p = state.visiblePeering(caller, id);
  if (p.accepter.account !== caller.account) {
    throw new Ec2Error('OperationNotPermitted', `User ${caller.account} cannot accept peering ${id}`);
  }
  if (p.accepter.region !== caller.region) {
    throw new Ec2Error('OperationNotPermitted', `Peering ${id} must be accepted in region ${p.accepter.region}`);
  }
  if (p.status !== 'pending-acceptance') throw invalidTransition(p, 'active');
  for (const vpcId of [p.requester.vpcId, p.accepter.vpcId]) {
    const active = [...state.peerings.values()].filter(
      (o) => o.status === 'active' && (o.requester.vpcId === vpcId || o.accepter.vpcId === vpcId),
    );
    if (active.length >= state.quotas.activePeeringsPerVpc) {
      throw new Ec2Error(
        'ActiveVpcPeeringConnectionPerVpcLimitExceeded',
        `The VPC ${vpcId} has reached the limit of ${state.quotas.activePeeringsPerVpc} active VPC peering connections.`,
      );
    }
  }
  p.status = 'active';
  p.message = 'Active';
  p.acceptedAt = state.now().getTime();
  return { peering: p, shown: { code: 'provisioning', message: 'Provisioning' } };
}

/** RejectVpcPeeringConnection: only the accepter, only while pending. */
export function rejectPeering(state: AwsEmulatorState, caller: Caller, id: string): void {
  state.refresh();
  const p = state.visiblePeering(caller, id);
  if (p.accepter.account !== caller.account || p.accepter.region !== caller.region) {
    throw new Ec2Error('OperationNotPermitted', `User ${caller.account} cannot reject peering ${id}`);
  }
  if (p.status !== 'pending-acceptance') throw invalidTransition(p, 'rejected');
  p.status = 'rejected';
  p.message = `Rejected by ${caller.account}`;
}

/** DeleteVpcPeeringConnection: either owner deletes an active peering; only the requester withdraws a pending one. */
export function deletePeering(state: AwsEmulatorState, caller: Caller, id: string): void {
  state.refresh();
  const p = state.visiblePeering(caller, id);
  if (p.status === 'pending-acceptance' && p.requester.account !== caller.account) {
    throw new Ec2Error(
      'OperationNotPermitted',
      `User ${caller.account} cannot delete pending peering ${id}; reject it instead`,
    );
  }
  if (p.status !== 'active' && p.status !== 'pending-acceptance') throw invalidTransition(p, 'deleted');
  p.status = 'deleted';
  p.message = `Deleted by ${caller.account}`;
}

/** ModifyVpcPeeringConnectionOptions: each owner sets its own side, from its side's region, on an active peering. */
export function modifyPeeringOptions(
  state: AwsEmulatorState,
  caller: Caller,
  id: string,
  change: { requester?: boolean; accepter?: boolean },
): { requester?: boolean; accepter?: boolean } {
  state.refresh();
  const p = state.visiblePeering(caller, id);
  if (p.status !== 'active') throw invalidTransition(p, 'active');
  const owns = (side: PeeringRecord['requester']): boolean =>
    side.account === caller.account && side.region === caller.region;
  if ((change.requester !== undefined && !owns(p.requester)) || (change.accepter !== undefined && !owns(p.accepter))) {
    throw new Ec2Error('OperationNotPermitted', `User ${caller.account} cannot modify the other side of peering ${id}`);
  }
  const result: { requester?: boolean; accepter?: boolean } = {};
  if (change.requester !== undefined) result.requester = p.requester.allowDnsResolutionFromRemoteVpc = change.requester;
  if (change.accepter !== undefined) result.accepter = p.accepter.allowDnsResolutionFromRemoteVpc = change.accepter;
  return result;
}
