import {
  AssociateTransitGatewayRouteTableCommand,
  DisableTransitGatewayRouteTablePropagationCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EnableTransitGatewayRouteTablePropagationCommand,
  GetTransitGatewayAttachmentPropagationsCommand,
  type EC2Client,
  type TransitGatewayAttachment,
} from '@aws-sdk/client-ec2';
import { ConvergedError } from '../../errors';
import type { ActionOf, AttachmentRouting, TransitHubRef } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { AwsConnections } from './connect';
import { findAttachment, ownsAttachment, rawState, refuseForeign } from './attachmentLookup';
import { allPages } from './paging';

/** An attachment's routing as EC2 has it now: the association from the attachment, propagations from one Get call. */
export interface CurrentRouting {
  association?: string;
  propagations: string[];
}

/** Reads the attachment's propagations (GetTransitGatewayAttachmentPropagations) beside the association it shows. */
export async function readRouting(
  conn: AwsConnections,
  hub: TransitHubRef,
  a: TransitGatewayAttachment,
  ctx: ApplyContext,
): Promise<CurrentRouting> {
  const id = a.TransitGatewayAttachmentId!;
  const propagations = await allPages(async (token) => {
    const out = await conn.call(
      hub,
      'update-attachment',
      (c) =>
        c.send(
          new GetTransitGatewayAttachmentPropagationsCommand({
            TransitGatewayAttachmentId: id,
            MaxResults: 1000,
            NextToken: token,
          }),
        ),
      { deadline: ctx.deadline },
    );
    return { items: out.TransitGatewayAttachmentPropagations ?? [], next: out.NextToken };
  });
  const associated = ['associated', 'associating'].includes(a.Association?.State ?? '');
  const association = associated ? a.Association?.TransitGatewayRouteTableId : undefined;
  return {
    ...(association ? { association } : {}),
    propagations: propagations
      .filter((p) => p.TransitGatewayRouteTableId && ['enabled', 'enabling'].includes(p.State ?? ''))
      .map((p) => p.TransitGatewayRouteTableId!)
      .sort(),
  };
}

/** Same association and the same set of propagations (labels and export filters mean nothing on AWS). */
export function sameRouting(a: CurrentRouting, b: Pick<AttachmentRouting, 'association' | 'propagations'>): boolean {
  const set = (xs: readonly string[]) => [...new Set(xs)].sort().join(',');
  return (a.association ?? '') === (b.association ?? '') && set(a.propagations) === set(b.propagations);
}

/**
 * Moves an available attachment from `current` to `want`, in the TGW owner's account: the association first
 * (disassociate, then associate: EC2 allows one association, and a disassociation may still be settling, hence
 * Resource.AlreadyAssociated is retried), then propagations (enable the missing, disable the extra). "Already so"
 * answers count as done. IncorrectState (the attachment is not available) is retried within the deadline.
 */
export async function applyRouting(
  conn: AwsConnections,
  hub: TransitHubRef,
  id: string,
  current: CurrentRouting,
  want: Pick<AttachmentRouting, 'association' | 'propagations'>,
  ctx: ApplyContext,
): Promise<number> {
  let calls = 0;
  const link = { TransitGatewayAttachmentId: id };
  const send = async (
    fn: (client: EC2Client) => Promise<unknown>,
    converged: string[],
    eventuallyConsistent: string[] = [],
  ): Promise<void> => {
    calls += 1;
    await conn
      .call(hub, 'update-attachment', fn, {
        deadline: ctx.deadline,
        converged,
        eventuallyConsistent: ['IncorrectState', ...eventuallyConsistent],
      })
      .catch((error: unknown) => {
        if (error instanceof ConvergedError) return;
        throw error;
      });
  };
  if (current.association !== want.association) {
    if (current.association)
      await send(
        (c) =>
          c.send(
            new DisassociateTransitGatewayRouteTableCommand({
              ...link,
              TransitGatewayRouteTableId: current.association,
            }),
          ),
        ['InvalidAssociation.NotFound'],
      );
    if (want.association)
      await send(
        (c) =>
          c.send(
            new AssociateTransitGatewayRouteTableCommand({ ...link, TransitGatewayRouteTableId: want.association }),
          ),
        [],
        ['Resource.AlreadyAssociated'],
      );
  }
  for (const table of want.propagations.filter((t) => !current.propagations.includes(t)))
    await send(
      (c) =>
        c.send(new EnableTransitGatewayRouteTablePropagationCommand({ ...link, TransitGatewayRouteTableId: table })),
      ['TransitGatewayRouteTablePropagation.Duplicate'],
    );
  for (const table of current.propagations.filter((t) => !want.propagations.includes(t)))
    await send(
      (c) =>
        c.send(new DisableTransitGatewayRouteTablePropagationCommand({ ...link, TransitGatewayRouteTableId: table })),
      ['TransitGatewayRouteTablePropagation.NotFound'],
    );
  return calls;
}

/**
 * update-attachment, in the TGW owner's account: only an available attachment peerkeeper owns. Re-reads the
 * routing first: already `after` → converged; neither `before` nor `after` (someone changed it since the plan) →
 * skipped; else the difference is applied.
 */
export async function updateAttachment(
  conn: AwsConnections,
  action: ActionOf<'update-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { hub, network } = action.target;
  const a = await findAttachment(conn, hub, 'update-attachment', action.target, ctx);
  if (!a) return { status: 'skipped', detail: 'attachment not found' };
  const id = a.TransitGatewayAttachmentId!;
  if (rawState(a) !== 'available') return { status: 'skipped', peeringId: id, detail: `attachment is ${rawState(a)}` };
  if (!(await ownsAttachment(conn, a, { acting: hub, other: network }, 'update-attachment', ctx)))
    refuseForeign('update-attachment', a);
  const current = await readRouting(conn, hub, a, ctx);
  if (sameRouting(current, action.after)) return { status: 'converged', peeringId: id };
  if (!sameRouting(current, action.before))
    return {
      status: 'skipped',
      peeringId: id,
      detail: `routing changed since the plan (association ${current.association ?? 'none'}, propagations [${current.propagations.join(', ')}])`,
    };
  await applyRouting(conn, hub, id, current, action.after, ctx);
  return { status: 'done', peeringId: id };
}
