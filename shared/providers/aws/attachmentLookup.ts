import {
  DescribeSubnetsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  type Subnet,
  type TransitGatewayAttachment,
} from '@aws-sdk/client-ec2';
import { TerminalError } from '../../errors';
import { MANAGED_TAG, networkKey, type AttachmentHandle, type NetworkRef, type SubnetSelector } from '../../model';
import type { ApplyContext } from '../port';
import type { AwsConnections } from './connect';
import { allPages } from './paging';
import type { AwsOperation } from './permissions';
import { tagsToRecord } from './toModel';

export const ATTACHMENT_NOT_FOUND = 'InvalidTransitGatewayAttachmentID.NotFound';
/** EC2 states in which an attachment still holds its VPC on the TGW. */
export const LIVE_ATTACHMENT = [
  'initiating',
  'initiatingRequest',
  'pendingAcceptance',
  'pending',
  'available',
  'modifying',
];

/** The raw EC2 state of an attachment, or `absent`. */
export function rawState(a: TransitGatewayAttachment | undefined): string {
  return a?.State ?? 'absent';
}

/**
 * Looks an attachment up from one account: by id (the handle's, or the one a create earlier in this plan made),
 * else by TGW and VPC, preferring a live one over old rejected or deleted ones. Right after a create, NotFound is
 * EC2 catching up and is retried.
 */
export async function findAttachment(
  conn: AwsConnections,
  side: NetworkRef,
  operation: AwsOperation,
  handle: AttachmentHandle,
  ctx: ApplyContext,
  opts: { justCreated: boolean } = { justCreated: false },
): Promise<TransitGatewayAttachment | undefined> {
  const id = handle.id ?? ctx.resolvePeeringId(networkKey(handle.network), networkKey(handle.hub));
  if (id) {
    const out = await conn
      .call(
        side,
        operation,
        (c) => c.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [id] })),
        { deadline: ctx.deadline, ...(opts.justCreated ? { eventuallyConsistent: [ATTACHMENT_NOT_FOUND] } : {}) },
      )
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === ATTACHMENT_NOT_FOUND) return { TransitGatewayAttachments: [] };
        throw error;
      });
    return (out.TransitGatewayAttachments ?? []).find((a) => a.TransitGatewayAttachmentId === id);
  }
  const out = await conn.call(
    side,
    operation,
    (c) =>
      c.send(
        new DescribeTransitGatewayAttachmentsCommand({
          Filters: [
            { Name: 'transit-gateway-id', Values: [handle.hub.id] },
            { Name: 'resource-id', Values: [handle.network.id] },
          ],
        }),
      ),
    { deadline: ctx.deadline },
  );
  // Re-check the filter on this side.
  const matches = (out.TransitGatewayAttachments ?? []).filter(
    (a) => a.TransitGatewayId === handle.hub.id && a.ResourceId === handle.network.id,
  );
  return matches.find((a) => LIVE_ATTACHMENT.includes(rawState(a))) ?? matches[0];
}

/** True when the account's view of the attachment carries peerkeeper's managed tag. */
export function isManagedView(a: TransitGatewayAttachment | undefined): boolean {
  return tagsToRecord(a?.Tags)[MANAGED_TAG] === 'true';
}

/**
 * Whether peerkeeper owns the attachment: its managed tag in the acting account's view, or else in the other
 * account's (each account tags its own view: the spoke at creation, the TGW owner when accepting). An account we may
 * not assume into is not asked.
 */
export async function ownsAttachment(
  conn: AwsConnections,
  seen: TransitGatewayAttachment,
  sides: { acting: NetworkRef; other: NetworkRef },
  operation: AwsOperation,
  ctx: ApplyContext,
): Promise<boolean> {
  if (isManagedView(seen)) return true;
  if (sides.other.account === sides.acting.account) return false;
  try {
    conn.checkAllowed(sides.other.account);
  } catch {
    return false;
  }
  const other = await findAttachment(
    conn,
    sides.other,
    operation,
    { id: seen.TransitGatewayAttachmentId!, hub: sides.acting, network: sides.other },
    ctx,
  );
  return isManagedView(other);
}

/** Refuses (TerminalError) to change an attachment peerkeeper does not own: the second line behind the planner. */
export function refuseForeign(operation: string, a: TransitGatewayAttachment): never {
  throw new TerminalError(
    `${operation}: ${a.TransitGatewayAttachmentId} carries no ${MANAGED_TAG}=true tag; peerkeeper leaves attachments it does not own alone`,
    { code: 'NotManaged' },
  );
}

/**
 * The subnets of an attachment, one per Availability Zone: `first-per-az` takes the lowest subnet id of each zone;
 * `{ tags }` only subnets carrying every tag (again the lowest id per zone). None at all is a TerminalError: the
 * policy names subnets the VPC does not have.
 */
export async function chooseSubnets(
  conn: AwsConnections,
  network: NetworkRef,
  selector: SubnetSelector,
  ctx: ApplyContext,
): Promise<string[]> {
  const subnets = await allPages<Subnet>(async (token) => {
    const out = await conn.call(
      network,
      'create-attachment',
      (c) =>
        c.send(
          new DescribeSubnetsCommand({
            Filters: [{ Name: 'vpc-id', Values: [network.id] }],
            MaxResults: 1000,
            NextToken: token,
          }),
        ),
      { deadline: ctx.deadline },
    );
    return { items: out.Subnets ?? [], next: out.NextToken };
  });
  const wanted = selector === 'first-per-az' ? {} : selector.tags;
  const firstPerZone = new Map<string, string>();
  for (const s of subnets) {
    if (s.VpcId !== network.id || !s.SubnetId || !s.AvailabilityZone) continue;
    const tags = tagsToRecord(s.Tags);
    if (!Object.entries(wanted).every(([k, v]) => tags[k] === v)) continue;
    const seen = firstPerZone.get(s.AvailabilityZone);
    if (seen === undefined || s.SubnetId < seen) firstPerZone.set(s.AvailabilityZone, s.SubnetId);
  }
  if (firstPerZone.size === 0)
    throw new TerminalError(
      `create-attachment: ${network.id} has no subnet ${selector === 'first-per-az' ? '' : `tagged ${JSON.stringify(wanted)} `}to attach`,
      { code: 'NoSubnets' },
    );
  return [...firstPerZone.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, id]) => id);
}
