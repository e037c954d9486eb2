import {
  CreateRouteCommand,
  DeleteRouteCommand,
  DescribeRouteTablesCommand,
  ReplaceRouteCommand,
  type CreateRouteRequest,
} from '@aws-sdk/client-ec2';
import { RetryableError } from '../../errors';
import type { ActionOf, PlannedRouteTarget, Route, RouteAddress } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import { findPeering } from './applyPeering';
import type { AwsConnections } from './connect';
import type { AwsOperation } from './permissions';
import { routeToModel } from './toModel';

const PEERING_NOT_FOUND = 'InvalidVpcPeeringConnectionID.NotFound';

/** Which CreateRoute field carries a non-peering next hop, by id prefix. */
const TARGET_FIELD_BY_PREFIX: readonly [string, keyof CreateRouteRequest][] = [
  ['igw-', 'GatewayId'],
  ['vgw-', 'GatewayId'],
  ['local', 'GatewayId'],
  ['nat-', 'NatGatewayId'],
  ['tgw-', 'TransitGatewayId'],
  ['eni-', 'NetworkInterfaceId'],
  ['i-', 'InstanceId'],
  ['eigw-', 'EgressOnlyInternetGatewayId'],
  ['lgw-', 'LocalGatewayId'],
  ['cagw-', 'CarrierGatewayId'],
  ['vpce-', 'VpcEndpointId'],
  ['pcx-', 'VpcPeeringConnectionId'],
];

/** IPv6 destinations go in DestinationIpv6CidrBlock, IPv4 in DestinationCidrBlock, a prefix list (`pl-…`) in DestinationPrefixListId. */
function destinationField(
  destination: string,
): { DestinationCidrBlock: string } | { DestinationIpv6CidrBlock: string } | { DestinationPrefixListId: string } {
  if (destination.startsWith('pl-')) return { DestinationPrefixListId: destination };
  return destination.includes(':') ? { DestinationIpv6CidrBlock: destination } : { DestinationCidrBlock: destination };
}

/** The route's next hop as a concrete id: a planned peering is resolved to its pcx id. */
async function resolveTarget(
  conn: AwsConnections,
  address: RouteAddress,
  target: PlannedRouteTarget,
  operation: AwsOperation,
  ctx: ApplyContext,
): Promise<{ kind: 'peering'; peeringId: string } | { kind: 'other'; id: string }> {
  if (target.kind === 'other') return target;
  if (target.peering.id) return { kind: 'peering', peeringId: target.peering.id };
  const pcx = await findPeering(conn, address.network, operation, target.peering, ctx, { justCreated: true });
  const id = pcx?.VpcPeeringConnectionId;
  if (!id)
    throw new RetryableError(
      `${operation}: the peering for ${address.routeTableId} ${address.destination} is not visible yet`,
      { code: PEERING_NOT_FOUND },
    );
  return { kind: 'peering', peeringId: id };
}

function targetFields(
  target: { kind: 'peering'; peeringId: string } | { kind: 'other'; id: string },
): Partial<CreateRouteRequest> {
  if (target.kind === 'peering') return { VpcPeeringConnectionId: target.peeringId };
  const field = TARGET_FIELD_BY_PREFIX.find(([prefix]) => target.id.startsWith(prefix))?.[1] ?? 'GatewayId';
  return { [field]: target.id };
}

function sameTarget(a: Route['target'], b: Route['target']): boolean {
  return a.kind === 'peering'
    ? b.kind === 'peering' && a.peeringId === b.peeringId
    : b.kind === 'other' && a.id === b.id;
}

/** The route at the address as EC2 has it now (one DescribeRouteTables by id). */
async function currentRoute(
  conn: AwsConnections,
  address: RouteAddress,
  operation: AwsOperation,
  ctx: ApplyContext,
): Promise<Route | undefined> {
  const out = await conn.call(
    address.network,
    operation,
    (c) => c.send(new DescribeRouteTablesCommand({ RouteTableIds: [address.routeTableId] })),
    { deadline: ctx.deadline },
  );
  const table = (out.RouteTables ?? []).find((t) => t.RouteTableId === address.routeTableId);
  const want = address.destination.toLowerCase();
  return (table?.Routes ?? []).flatMap((r) => routeToModel(r) ?? []).find((r) => r.destination.toLowerCase() === want);
}

/**
 * CreateRoute. Optimistic (no read first): RouteAlreadyExists is then checked — the same next hop is
 * converged, a different one (often an unmanaged route) is left alone and reported as skipped.
 */
export async function createRoute(
  conn: AwsConnections,
  action: ActionOf<'create-route'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const address = action.target;
  const target = await resolveTarget(conn, address, action.after, 'create-route', ctx);
  try {
    await conn.call(
      address.network,
      'create-route',
      (c) =>
        c.send(
          new CreateRouteCommand({
            RouteTableId: address.routeTableId,
            ...destinationField(address.destination),
            ...targetFields(target),
          }),
        ),
      {
        deadline: ctx.deadline,
        converged: ['RouteAlreadyExists'],
        eventuallyConsistent: action.after.kind === 'peering' && !action.after.peering.id ? [PEERING_NOT_FOUND] : [],
      },
    );
  } catch (error) {
    if ((error as { code?: string }).code !== 'RouteAlreadyExists') throw error;
    const existing = await currentRoute(conn, address, 'create-route', ctx);
    if (existing && sameTarget(existing.target, target)) return { status: 'converged' };
    return {
      status: 'skipped',
      detail: `another route already uses ${address.destination} in ${address.routeTableId}`,
    };
  }
  return { status: 'done', ...(target.kind === 'peering' ? { peeringId: target.peeringId } : {}) };
}

/**
 * How old (ms) the plan's observation may be for ReplaceRoute to trust its `before` instead of re-reading the
 * table: 2 s. An event-driven reconcile on a warm function reads and writes well inside that (three describes,
 * then the write), so its fix costs no extra DescribeRouteTables; a long sweep plan, a retry after throttling
 * or a slow approval step falls outside it and re-reads. The re-check only shrinks the window in which a change
 * to this one route could be overwritten (to one round trip); trusting a plan this young widens it by ≤ 2 s, and
 * only for a destination the plan wants for one of its peerings (a managed route, DESIGN §5), which the reconcile
 * that such a change triggers would revert anyway. DeleteRoute names no target, so deletions always re-read.
 */
export const FRESH_PLAN_MS = 2_000;

/** True when the action runs on its first attempt within FRESH_PLAN_MS of the observation it was planned from. */
function planIsFresh(ctx: ApplyContext): boolean {
  if (ctx.observedAt === undefined || (ctx.attempt ?? 1) > 1) return false;
  const age = ctx.now.getTime() - ctx.observedAt;
  return age >= 0 && age <= FRESH_PLAN_MS;
}

/** ReplaceRoute straight from a fresh plan; a refusal (the route is gone) is judged by a re-read, as a stale plan is. */
async function replaceFromFreshPlan(
  conn: AwsConnections,
  action: ActionOf<'replace-route'>,
  target: Route['target'],
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const address = action.target;
  try {
    await conn.call(
      address.network,
      'replace-route',
      (c) =>
        c.send(
          new ReplaceRouteCommand({
            RouteTableId: address.routeTableId,
            ...destinationField(address.destination),
            ...targetFields(target),
          }),
        ),
      { deadline: ctx.deadline },
    );
    return { status: 'done' };
  } catch (error) {
    if (error instanceof RetryableError) throw error;
    // EC2 answers InvalidParameterValue ("no route defined") when the destination has no route any more.
    const existing = await currentRoute(conn, address, 'replace-route', ctx);
    if (!existing) return { status: 'skipped', detail: `no route for ${address.destination} any more` };
    if (sameTarget(existing.target, target)) return { status: 'converged' };
    throw error;
  }
}

/**
 * ReplaceRoute, only when the route still is what the plan saw (`before`): re-read first unless the plan is
 * fresh (FRESH_PLAN_MS) and this is the first attempt.
 */
export async function replaceRoute(
  conn: AwsConnections,
  action: ActionOf<'replace-route'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const address = action.target;
  const target = await resolveTarget(conn, address, action.after, 'replace-route', ctx);
  if (action.before.origin === 'static' && planIsFresh(ctx)) return replaceFromFreshPlan(conn, action, target, ctx);
  const existing = await currentRoute(conn, address, 'replace-route', ctx);
  if (!existing) return { status: 'skipped', detail: `no route for ${address.destination} any more` };
  if (sameTarget(existing.target, target)) return { status: 'converged' };
  if (!sameTarget(existing.target, action.before.target) || existing.origin !== 'static') {
    return { status: 'skipped', detail: `route ${address.destination} changed since the plan was made` };
  }
  await conn.call(
    address.network,
    'replace-route',
    (c) =>
      c.send(
        new ReplaceRouteCommand({
          RouteTableId: address.routeTableId,
          ...destinationField(address.destination),
          ...targetFields(target),
        }),
      ),
    { deadline: ctx.deadline },
  );
  return { status: 'done' };
}

/** DeleteRoute, only when the route still is what the plan saw; already gone is converged. */
export async function deleteRoute(
  conn: AwsConnections,
  action: ActionOf<'delete-route'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const address = action.target;
  const existing = await currentRoute(conn, address, 'delete-route', ctx);
  if (!existing) return { status: 'converged', detail: 'route already gone' };
  if (!sameTarget(existing.target, action.before.target) || existing.origin !== 'static') {
    return { status: 'skipped', detail: `route ${address.destination} changed since the plan was made` };
  }
  await conn.call(
    address.network,
    'delete-route',
    (c) =>
      c.send(
        new DeleteRouteCommand({
          RouteTableId: address.routeTableId,
          ...destinationField(address.destination),
        }),
      ),
    { deadline: ctx.deadline, converged: ['InvalidRoute.NotFound'] },
  );
  return { status: 'done' };
}
