import {
  AcceptVpcPeeringConnectionCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeVpcPeeringConnectionsCommand,
  ModifyVpcPeeringConnectionOptionsCommand,
  RejectVpcPeeringConnectionCommand,
  type VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import { RetryableError, TerminalError } from '../../errors';
import {
  CONNECTION_TAG,
  MANAGED_TAG,
  networkKey,
  type ActionOf,
  type NetworkRef,
  type PeeringHandle,
} from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { AwsConnections } from './connect';
import { tagAcceptedView } from './tagAccepted';
import type { AwsOperation } from './permissions';

const NOT_FOUND = 'InvalidVpcPeeringConnectionID.NotFound';
const LIVE = ['initiating-request', 'pending-acceptance', 'provisioning', 'active'];

/** Looks a peering up from one side: by id, or by its two VPCs (for a handle created earlier in the plan). */
export async function findPeering(
  conn: AwsConnections,
  side: NetworkRef,
  operation: AwsOperation,
  handle: PeeringHandle,
  ctx: ApplyContext,
  opts: { justCreated: boolean },
): Promise<VpcPeeringConnection | undefined> {
  const id = handle.id ?? ctx.resolvePeeringId(networkKey(handle.requester), networkKey(handle.accepter));
  if (id) {
    const out = await conn
      .call(
        side,
        operation,
        (c) => c.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] })),
        // Right after a create in this plan, EC2 may not list the pcx yet: retry instead of giving up.
        { deadline: ctx.deadline, ...(opts.justCreated ? { eventuallyConsistent: [NOT_FOUND] } : { converged: [] }) },
      )
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === NOT_FOUND) return { VpcPeeringConnections: [] };
        throw error;
      });
    return (out.VpcPeeringConnections ?? []).find((p) => p.VpcPeeringConnectionId === id);
  }
  const out = await conn.call(
    side,
    operation,
    (c) =>
      c.send(
        new DescribeVpcPeeringConnectionsCommand({
          Filters: [
            { Name: 'requester-vpc-info.vpc-id', Values: [handle.requester.id] },
            { Name: 'accepter-vpc-info.vpc-id', Values: [handle.accepter.id] },
          ],
        }),
      ),
    { deadline: ctx.deadline },
  );
  // Re-check the filter on this side, and prefer a live peering over old rejected/deleted ones.
  const matches = (out.VpcPeeringConnections ?? []).filter(
    (p) => p.RequesterVpcInfo?.VpcId === handle.requester.id && p.AccepterVpcInfo?.VpcId === handle.accepter.id,
  );
  return matches.find((p) => LIVE.includes(p.Status?.Code ?? '')) ?? matches[0];
}

function status(p: VpcPeeringConnection | undefined): string {
  return p?.Status?.Code ?? 'absent';
}

/** CreateVpcPeeringConnection in the requester's account and region, tagged as peerkeeper's. */
export async function createPeering(
  conn: AwsConnections,
  action: ActionOf<'create-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { requester, accepter } = action.target;
  const existing = await findPeering(conn, requester, 'create-peering', { requester, accepter }, ctx, {
    justCreated: false,
  });
  if (existing && LIVE.includes(status(existing))) {
    return { status: 'converged', peeringId: existing.VpcPeeringConnectionId, detail: `already ${status(existing)}` };
  }
  const tags = {
    ...action.after.tags,
    [MANAGED_TAG]: 'true',
    ...(action.connection ? { [CONNECTION_TAG]: action.connection } : {}),
  };
  const out = await conn.call(
    requester,
    'create-peering',
    (c) =>
      c.send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: requester.id,
          PeerVpcId: accepter.id,
          PeerOwnerId: accepter.account,
          PeerRegion: accepter.region,
          TagSpecifications: [
            {
              ResourceType: 'vpc-peering-connection',
              Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
            },
          ],
        }),
      ),
    { deadline: ctx.deadline },
  );
  const id = out.VpcPeeringConnection?.VpcPeeringConnectionId;
  if (!id) throw new TerminalError('create-peering: EC2 returned no VpcPeeringConnectionId');
  return { status: 'done', peeringId: id, detail: status(out.VpcPeeringConnection) };
}

/** AcceptVpcPeeringConnection as the ACCEPTER, in the accepter's region; only while pending-acceptance. */
export async function acceptPeering(
  conn: AwsConnections,
  action: ActionOf<'accept-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const side = action.target.accepter;
  const justCreated = action.target.id === undefined;
  const pcx = await findPeering(conn, side, 'accept-peering', action.target, ctx, { justCreated });
  if (!pcx) {
    if (justCreated)
      throw new RetryableError(
        `accept-peering: the new peering ${networkKey(action.target.requester)} → ${networkKey(side)} is not visible yet`,
        { code: NOT_FOUND },
      );
    return { status: 'skipped', detail: 'peering not found' };
  }
  const id = pcx.VpcPeeringConnectionId!;
  if (status(pcx) === 'active' || status(pcx) === 'provisioning')
    return { status: 'converged', peeringId: id, detail: status(pcx) };
  if (status(pcx) !== 'pending-acceptance')
    return { status: 'skipped', peeringId: id, detail: `peering is ${status(pcx)}` };
  await conn.call(
    side,
    'accept-peering',
    (c) => c.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
    { deadline: ctx.deadline, stale: ['InvalidStateTransition'], eventuallyConsistent: justCreated ? [NOT_FOUND] : [] },
  );
  const untagged = await tagAcceptedView(
    conn,
    side,
    'accept-peering',
    id,
    action.after.tags,
    ctx,
    "the accepter's side",
  );
  return { status: 'done', peeringId: id, ...(untagged ? { detail: untagged } : {}) };
}

/** RejectVpcPeeringConnection as the accepter; only while pending-acceptance. */
export async function rejectPeering(
  conn: AwsConnections,
  action: ActionOf<'reject-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const side = action.target.accepter;
  const pcx = await findPeering(conn, side, 'reject-peering', action.target, ctx, { justCreated: false });
  if (!pcx) return { status: 'skipped', detail: 'peering not found' };
  const id = pcx.VpcPeeringConnectionId!;
  if (status(pcx) === 'rejected') return { status: 'converged', peeringId: id };
  if (status(pcx) !== 'pending-acceptance')
    return { status: 'skipped', peeringId: id, detail: `peering is ${status(pcx)}` };
  await conn.call(
    side,
    'reject-peering',
    (c) => c.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
    { deadline: ctx.deadline, stale: ['InvalidStateTransition'] },
  );
  return { status: 'done', peeringId: id };
}

/** The side we may act from: the requester when its account is reachable, else the accepter. */
function reachableSide(conn: AwsConnections, handle: PeeringHandle): NetworkRef {
  try {
    conn.checkAllowed(handle.requester.account);
    return handle.requester;
  } catch {
    return handle.accepter;
  }
}

/** DeleteVpcPeeringConnection; gone, deleted, rejected, failed or expired all count as converged. */
export async function deletePeering(
  conn: AwsConnections,
  action: ActionOf<'delete-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const side = reachableSide(conn, action.target);
  const pcx = await findPeering(
    conn,
    side,
    'delete-peering',
    { ...action.target, id: action.target.id ?? action.before.id },
    ctx,
    { justCreated: false },
  );
  if (!pcx || !LIVE.includes(status(pcx))) return { status: 'converged', detail: `peering is ${status(pcx)}` };
  const id = pcx.VpcPeeringConnectionId!;
  if (status(pcx) === 'pending-acceptance' && side === action.target.accepter) {
    return {
      status: 'skipped',
      peeringId: id,
      detail: 'a pending request can only be withdrawn by its requester; reject it instead',
    };
  }
  await conn.call(
    side,
    'delete-peering',
    (c) => c.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
    { deadline: ctx.deadline, converged: [NOT_FOUND], stale: ['InvalidStateTransition'] },
  );
  return { status: 'done', peeringId: id };
}

/** ModifyVpcPeeringConnectionOptions: each side sets its own DNS option from its own account and region. */
export async function updatePeering(
  conn: AwsConnections,
  action: ActionOf<'update-peering'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const want = action.after.allowDnsResolution;
  if (want === undefined) return { status: 'converged', detail: 'no option AWS knows changes' };
  const { requester, accepter } = action.target;
  const pcx = await findPeering(conn, reachableSide(conn, action.target), 'update-peering', action.target, ctx, {
    justCreated: false,
  });
  if (!pcx || status(pcx) !== 'active') return { status: 'skipped', detail: `peering is ${status(pcx)}` };
  const id = pcx.VpcPeeringConnectionId!;
  const sides = [
    {
      ref: requester,
      current: pcx.RequesterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc,
      field: 'RequesterPeeringConnectionOptions',
    },
    {
      ref: accepter,
      current: pcx.AccepterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc,
      field: 'AccepterPeeringConnectionOptions',
    },
  ].filter((s) => s.current !== want && reachable(conn, s.ref));
  if (sides.length === 0) return { status: 'converged', peeringId: id };
  // One call when both sides live in the same account and region; otherwise one call per side.
  const groups = new Map<string, typeof sides>();
  for (const s of sides)
    groups.set(`${s.ref.account}:${s.ref.region}`, [...(groups.get(`${s.ref.account}:${s.ref.region}`) ?? []), s]);
  for (const group of groups.values()) {
    const input = Object.fromEntries(group.map((s) => [s.field, { AllowDnsResolutionFromRemoteVpc: want }]));
    await conn.call(
      group[0]!.ref,
      'update-peering',
      (c) => c.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, ...input })),
      { deadline: ctx.deadline },
    );
  }
  return { status: 'done', peeringId: id };
}

function reachable(conn: AwsConnections, ref: NetworkRef): boolean {
  try {
    conn.checkAllowed(ref.account);
    return true;
  } catch {
    return false;
  }
}
