import {
  AcceptTransitGatewayVpcAttachmentCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  RejectTransitGatewayVpcAttachmentCommand,
} from '@aws-sdk/client-ec2';
import { RetryableError, TerminalError } from '../../errors';
import { CONNECTION_TAG, MANAGED_TAG, networkKey, type ActionOf, type AttachmentAction } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { AwsConnections } from './connect';
import { awsErrorCode } from './errors';
import { tagAcceptedView } from './tagAccepted';
import {
  ATTACHMENT_NOT_FOUND,
  chooseSubnets,
  findAttachment,
  LIVE_ATTACHMENT,
  ownsAttachment,
  rawState,
  refuseForeign,
} from './attachmentLookup';
import { applyRouting, readRouting, updateAttachment } from './attachmentRouting';

/** Transit Gateway attachments (issue 17): each handler re-checks its precondition, as the peering ones do. */
export async function applyAwsAttachment(
  conn: AwsConnections,
  action: AttachmentAction,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  switch (action.action) {
    case 'create-attachment':
      return createAttachment(conn, action, ctx);
    case 'accept-attachment':
      return acceptAttachment(conn, action, ctx);
    case 'reject-attachment':
      return rejectAttachment(conn, action, ctx);
    case 'update-attachment':
      return updateAttachment(conn, action, ctx);
    case 'delete-attachment':
      return deleteAttachment(conn, action, ctx);
  }
}

/**
 * CreateTransitGatewayVpcAttachment in the spoke's account, tagged as peerkeeper's, on one subnet per zone. A live
 * attachment of the VPC to the TGW is converged with its id (also when a concurrent create wins the race:
 * DuplicateTransitGatewayAttachment). When the TGW is the spoke account's own there is nothing to accept: the routing
 * is applied now, or left to the next reconcile while the attachment is still pending.
 */
async function createAttachment(
  conn: AwsConnections,
  action: ActionOf<'create-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { hub, network } = action.target;
  const existing = await findAttachment(conn, network, 'create-attachment', { hub, network }, ctx);
  if (existing && LIVE_ATTACHMENT.includes(rawState(existing)))
    return {
      status: 'converged',
      peeringId: existing.TransitGatewayAttachmentId,
      detail: `already ${rawState(existing)}`,
    };
  const subnets = await chooseSubnets(conn, network, action.after.subnets ?? 'first-per-az', ctx);
  const tags = {
    ...action.after.tags,
    [MANAGED_TAG]: 'true',
    ...(action.connection ? { [CONNECTION_TAG]: action.connection } : {}),
  };
  let id: string | undefined;
  let state = 'absent';
  try {
    const out = await conn.call(
      network,
      'create-attachment',
      (c) =>
        c.send(
          new CreateTransitGatewayVpcAttachmentCommand({
            TransitGatewayId: hub.id,
            VpcId: network.id,
            SubnetIds: subnets,
            TagSpecifications: [
              {
                ResourceType: 'transit-gateway-attachment',
                Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
              },
            ],
          }),
        ),
      { deadline: ctx.deadline },
    );
    id = out.TransitGatewayVpcAttachment?.TransitGatewayAttachmentId;
    state = out.TransitGatewayVpcAttachment?.State ?? state;
  } catch (error) {
    if (awsErrorCode(error) !== 'DuplicateTransitGatewayAttachment') throw error;
    const winner = await findAttachment(conn, network, 'create-attachment', { hub, network }, ctx);
    if (!winner?.TransitGatewayAttachmentId)
      throw new RetryableError(
        `create-attachment: ${network.id} is attached to ${hub.id} but EC2 does not list it yet`,
        {
          code: 'DuplicateTransitGatewayAttachment',
        },
      );
    return { status: 'converged', peeringId: winner.TransitGatewayAttachmentId, detail: 'created concurrently' };
  }
  if (!id) throw new TerminalError('create-attachment: EC2 returned no TransitGatewayAttachmentId');
  // Across accounts the TGW's owner decides (pendingAcceptance), or its auto-accept does (pending): routing is theirs.
  if (hub.account !== network.account) return { status: 'done', peeringId: id, detail: state };
  return {
    status: 'done',
    peeringId: id,
    ...(await routeWhenAvailable(conn, action.target, id, action.after.routing, ctx)),
  };
}

/**
 * Applies the routing of an attachment the TGW owner just accepted or created, if EC2 already shows it available;
 * a still-pending one is the next reconcile's (its update-attachment finds the routing missing).
 */
async function routeWhenAvailable(
  conn: AwsConnections,
  target: ActionOf<'accept-attachment'>['target'],
  id: string,
  routing: ActionOf<'accept-attachment'>['after']['routing'],
  ctx: ApplyContext,
): Promise<{ detail?: string }> {
  const now = await findAttachment(conn, target.hub, 'update-attachment', { ...target, id }, ctx, {
    justCreated: true,
  });
  if (rawState(now) !== 'available')
    return { detail: `${rawState(now)}: routing follows once it is available (next reconcile)` };
  await applyRouting(conn, target.hub, id, await readRouting(conn, target.hub, now!, ctx), routing, ctx);
  return {};
}

/** AcceptTransitGatewayVpcAttachment as the TGW's owner, then its tags on the owner's view and the routing. */
async function acceptAttachment(
  conn: AwsConnections,
  action: ActionOf<'accept-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const hub = action.target.hub;
  const justCreated = action.target.id === undefined;
  const a = await findAttachment(conn, hub, 'accept-attachment', action.target, ctx, { justCreated });
  if (!a) {
    if (justCreated)
      throw new RetryableError(
        `accept-attachment: the new attachment ${networkKey(action.target.network)} → ${hub.id} is not visible yet`,
        { code: ATTACHMENT_NOT_FOUND },
      );
    return { status: 'skipped', detail: 'attachment not found' };
  }
  const id = a.TransitGatewayAttachmentId!;
  const state = rawState(a);
  if (['available', 'pending', 'modifying', 'initiating'].includes(state))
    return { status: 'converged', peeringId: id, detail: state };
  if (state !== 'pendingAcceptance') return { status: 'skipped', peeringId: id, detail: `attachment is ${state}` };
  await conn.call(
    hub,
    'accept-attachment',
    (c) => c.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id })),
    { deadline: ctx.deadline, stale: ['IncorrectState'] },
  );
  const untagged = await tagAcceptedView(
    conn,
    hub,
    'accept-attachment',
    id,
    action.after.tags,
    ctx,
    "the owner's view",
  );
  const routed = await routeWhenAvailable(conn, action.target, id, action.after.routing, ctx);
  const detail = [untagged, routed.detail].filter(Boolean).join('; ');
  return { status: 'done', peeringId: id, ...(detail ? { detail } : {}) };
}

/** RejectTransitGatewayVpcAttachment as the TGW's owner; only while pendingAcceptance. */
async function rejectAttachment(
  conn: AwsConnections,
  action: ActionOf<'reject-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const hub = action.target.hub;
  const a = await findAttachment(conn, hub, 'reject-attachment', action.target, ctx);
  if (!a) return { status: 'skipped', detail: 'attachment not found' };
  const id = a.TransitGatewayAttachmentId!;
  if (rawState(a) === 'rejected' || rawState(a) === 'rejecting') return { status: 'converged', peeringId: id };
  if (rawState(a) !== 'pendingAcceptance')
    return { status: 'skipped', peeringId: id, detail: `attachment is ${rawState(a)}` };
  await conn.call(
    hub,
    'reject-attachment',
    (c) => c.send(new RejectTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id })),
    { deadline: ctx.deadline, stale: ['IncorrectState'] },
  );
  return { status: 'done', peeringId: id };
}

/**
 * DeleteTransitGatewayVpcAttachment from the spoke's account when reachable, else the TGW owner's; only an
 * attachment peerkeeper owns (TerminalError otherwise). Gone, deleting or deleted is converged.
 */
async function deleteAttachment(
  conn: AwsConnections,
  action: ActionOf<'delete-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { hub, network } = action.target;
  const [acting, other] = reachable(conn, network.account) ? [network, hub] : [hub, network];
  const a = await findAttachment(
    conn,
    acting,
    'delete-attachment',
    { ...action.target, id: action.target.id ?? action.before.id },
    ctx,
  );
  if (!a || ['deleting', 'deleted'].includes(rawState(a)))
    return { status: 'converged', detail: `attachment is ${rawState(a)}` };
  if (!(await ownsAttachment(conn, a, { acting, other }, 'delete-attachment', ctx)))
    refuseForeign('delete-attachment', a);
  const id = a.TransitGatewayAttachmentId!;
  await conn.call(
    acting,
    'delete-attachment',
    (c) => c.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id })),
    { deadline: ctx.deadline, converged: [ATTACHMENT_NOT_FOUND], stale: ['IncorrectState'] },
  );
  return { status: 'done', peeringId: id };
}

function reachable(conn: AwsConnections, account: string): boolean {
  try {
    conn.checkAllowed(account);
    return true;
  } catch {
    return false;
  }
}
