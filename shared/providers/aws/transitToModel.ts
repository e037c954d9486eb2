import type {
  TransitGateway,
  TransitGatewayAttachment,
  TransitGatewayRoute,
  TransitGatewayRouteTable,
} from '@aws-sdk/client-ec2';
import type {
  Attachment,
  AttachmentState,
  Interconnect,
  TransitHub,
  TransitHubRef,
  TransitRoute,
  TransitRouteTable,
} from '../../model';
import { tagsToRecord, vpcRef } from './toModel';

/** EC2's TransitGatewayAttachmentState → the normalized lifecycle (transit.ts). */
const STATE: Readonly<Record<string, AttachmentState>> = {
  initiating: 'pending',
  initiatingRequest: 'pending',
  pendingAcceptance: 'requested',
  pending: 'pending',
  modifying: 'pending',
  available: 'active',
  rejecting: 'rejected',
  rejected: 'rejected',
  failing: 'failed',
  failed: 'failed',
  deleting: 'deleted',
  deleted: 'deleted',
};

/** The normalized state of an attachment (an unknown EC2 state is taken as `failed`: never live, never ours to fix). */
export function attachmentState(raw: string | undefined): AttachmentState {
  return STATE[raw ?? ''] ?? 'failed';
}

/** Where a TGW lives: its owner's account and region. */
export function hubRef(owner: string, region: string, tgwId: string): TransitHubRef {
  return { cloud: 'aws', account: owner, region, id: tgwId };
}

/** Interconnect kinds of the attachment resource types peerkeeper observes but never creates. */
const INTERCONNECT: Readonly<Record<string, Interconnect['kind']>> = {
  vpn: 'vpn',
  'direct-connect-gateway': 'direct-connect',
};

/** A VPN or Direct Connect gateway attachment as an interconnect of its hub; undefined for other resource types. */
export function interconnectOf(a: TransitGatewayAttachment): Interconnect | undefined {
  const kind = INTERCONNECT[a.ResourceType ?? ''];
  if (!kind || !a.TransitGatewayAttachmentId) return undefined;
  const name = tagsToRecord(a.Tags).Name;
  return {
    id: a.TransitGatewayAttachmentId,
    kind,
    ...(name !== undefined ? { name } : {}),
    state: a.State === 'available' ? 'active' : 'other',
  };
}

/**
 * A VPC attachment as one account sees it: the hub is the TGW in its owner's account, the network the VPC in the
 * resource owner's. Propagations are known only to the TGW's owner (`propagations` is its per-table read).
 */
export function attachmentToModel(
  a: TransitGatewayAttachment,
  region: string,
  propagations: ReadonlyMap<string, string[]>,
): Attachment | undefined {
  if (a.ResourceType !== 'vpc') return undefined;
  const id = a.TransitGatewayAttachmentId;
  if (!id || !a.TransitGatewayId || !a.TransitGatewayOwnerId || !a.ResourceId || !a.ResourceOwnerId) return undefined;
  const associated = a.Association?.State === 'associated' || a.Association?.State === 'associating';
  const association = associated ? a.Association?.TransitGatewayRouteTableId : undefined;
  return {
    id,
    cloud: 'aws',
    hub: hubRef(a.TransitGatewayOwnerId, region, a.TransitGatewayId),
    network: vpcRef(a.ResourceOwnerId, region, a.ResourceId),
    state: attachmentState(a.State),
    ...(association ? { association } : {}),
    propagations: [...(propagations.get(id) ?? [])].sort(),
    tags: tagsToRecord(a.Tags),
  };
}

/** One hub route: toward an attachment (VPC, VPN, Direct Connect, peering) or, without one, a blackhole. */
export function transitRouteToModel(r: TransitGatewayRoute): TransitRoute | undefined {
  const destination = r.DestinationCidrBlock ?? r.PrefixListId;
  if (!destination) return undefined;
  const attachmentId = r.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId;
  return {
    destination,
    target: attachmentId ? { kind: 'attachment', attachmentId } : { kind: 'other', id: 'blackhole' },
    origin: r.Type === 'propagated' ? 'propagated' : 'static',
    ...(r.State === 'active' || r.State === 'blackhole' ? { state: r.State } : {}),
  };
}

/** A TGW route table with the routes read for it. */
export function routeTableToHubTable(
  t: TransitGatewayRouteTable,
  routes: readonly TransitGatewayRoute[],
): TransitRouteTable {
  const tags = tagsToRecord(t.Tags);
  return {
    id: t.TransitGatewayRouteTableId ?? '',
    ...(tags.Name !== undefined ? { name: tags.Name } : {}),
    tags,
    routes: routes.flatMap((r) => transitRouteToModel(r) ?? []),
  };
}

/** A TGW as a transit hub of its owner's partition. */
export function transitGatewayToHub(
  g: TransitGateway,
  region: string,
  routeTables: TransitRouteTable[],
  interconnects: Interconnect[],
): TransitHub {
  const tags = tagsToRecord(g.Tags);
  return {
    ref: hubRef(g.OwnerId ?? '', region, g.TransitGatewayId ?? ''),
    ...(tags.Name !== undefined ? { name: tags.Name } : {}),
    tags,
    routeTables,
    interconnects,
  };
}
