import { ConvergedError, TerminalError } from '../../errors';
import type { ActionOf, PlannedRouteTarget, Route } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import { type ArmClient, NETWORK_API_VERSION } from './connect';
import {
  type ArmRoute,
  type ArmRouteTable,
  ArmRouteTableSchema,
  MANAGED_HALF_PREFIX,
  routeTarget,
  vnetOfSubnet,
} from './toModel';

type RouteAction = ActionOf<'create-route'> | ActionOf<'replace-route'> | ActionOf<'delete-route'>;

/** The route name peerkeeper uses for a destination: `peerkeeper-10.1.0.0-16`, `peerkeeper-fd00--8` (ARM names allow no `/` or `:`). */
export function routeName(destination: string): string {
  return `${MANAGED_HALF_PREFIX}${destination.replace(/[/:]/g, '-')}`;
}

/** An ARM next hop for a planned target. UDRs cannot point at a peering: the policy names an appliance instead. */
export function nextHop(target: PlannedRouteTarget): { nextHopType: string; nextHopIpAddress?: string } {
  if (target.kind === 'peering') {
    throw new TerminalError(
      'Azure UDRs cannot target a peering (peered ranges are system routes); set routes.azureNextHop in the policy',
      { code: 'UnsupportedRouteTarget' },
    );
  }
  const appliance = /^VirtualAppliance:(.+)$/.exec(target.id);
  return appliance ? { nextHopType: 'VirtualAppliance', nextHopIpAddress: appliance[1]! } : { nextHopType: target.id };
}

function sameTarget(route: ArmRoute, target: Route['target'] | PlannedRouteTarget): boolean {
  const current = routeTarget(route);
  return target.kind === 'other' && current.kind === 'other' && current.id.toLowerCase() === target.id.toLowerCase();
}

async function readTable(client: ArmClient, id: string, deadline: number): Promise<ArmRouteTable | undefined> {
  const body = await client.getOptional(`${id}?api-version=${NETWORK_API_VERSION}`, deadline);
  if (body === undefined) return undefined;
  const parsed = ArmRouteTableSchema.safeParse(body);
  if (!parsed.success)
    throw new TerminalError(`Azure returned an unreadable route table ${id}`, { code: 'UnreadableResponse' });
  return parsed.data;
}

/**
 * create-route / replace-route / delete-route on a UDR table. The precondition re-check: the table
 * still exists and is associated with the network, and the slot holds what the plan saw.
 */
export async function applyRoute(client: ArmClient, action: RouteAction, ctx: ApplyContext): Promise<ApplyOutcome> {
  const { routeTableId, destination, network } = action.target;
  const table = await readTable(client, routeTableId, ctx.deadline);
  if (!table) return { status: 'skipped', detail: `route table ${routeTableId} no longer exists` };
  const associated = table.properties.subnets.some(
    (s) => vnetOfSubnet(s.id).toLowerCase() === network.id.toLowerCase(),
  );
  if (!associated)
    return { status: 'skipped', detail: `route table ${routeTableId} is no longer associated with ${network.id}` };
  const existing = table.properties.routes.find(
    (r) => r.properties.addressPrefix.toLowerCase() === destination.toLowerCase(),
  );

  if (action.action === 'delete-route') {
    if (!existing) return { status: 'converged' };
    if (!sameTarget(existing, action.before.target))
      return { status: 'skipped', detail: `${destination} now routes elsewhere than the plan saw` };
    try {
      const response = await client.request(
        'DELETE',
        `${table.id}/routes/${encodeURIComponent(existing.name)}?api-version=${NETWORK_API_VERSION}`,
        ctx.deadline,
      );
      await client.waitFor(response, ctx.deadline);
      return { status: response.status === 204 ? 'converged' : 'done' };
    } catch (error) {
      if (error instanceof ConvergedError) return { status: 'converged' };
      throw error;
    }
  }

  const hop = nextHop(action.after);
  if (existing && sameTarget(existing, action.after)) return { status: 'converged' };
  if (action.action === 'create-route' && existing)
    return { status: 'skipped', detail: `${destination} is already routed by ${existing.name}` };
  if (action.action === 'replace-route') {
    if (!existing) return { status: 'skipped', detail: `${destination} has no route to replace any more` };
    if (!sameTarget(existing, action.before.target))
      return { status: 'skipped', detail: `${destination} now routes elsewhere than the plan saw` };
  }
  const name = existing?.name ?? routeName(destination);
  const response = await client.request(
    'PUT',
    `${table.id}/routes/${encodeURIComponent(name)}?api-version=${NETWORK_API_VERSION}`,
    ctx.deadline,
    { properties: { addressPrefix: destination, ...hop } },
  );
  await client.waitFor(response, ctx.deadline);
  return { status: 'done' };
}
