import { createHash } from 'node:crypto';
import { ConvergedError, TerminalError } from '../../errors';
import type { ActionOf, AttachmentHandle, AttachmentRouting } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { PeeringApplyDeps } from './apply';
import { NETWORK_API_VERSION } from './connect';
import { MANAGED_HALF_PREFIX, nameOf } from './toModel';
import { type ArmHubConnection, ArmHubConnectionSchema, hubRouteTableId, isManagedConnection } from './transitArm';
import { connectionRouting } from './transitModel';

const api = (path: string): string => `${path}?api-version=${NETWORK_API_VERSION}`;
const connectionPath = (hubId: string, name: string): string =>
  `${hubId}/hubVirtualNetworkConnections/${encodeURIComponent(name)}`;
const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const VIRTUAL_HUB_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualHubs\/[^/]+$/i;

/** ARM's answer when the hub (or its resource group) is gone. */
function isGone(error: unknown): boolean {
  return (
    error instanceof TerminalError &&
    ['NotFound', 'ResourceNotFound', 'ResourceGroupNotFound', 'Http404'].includes(error.code ?? '')
  );
}

/** Every connection of the hub; undefined when the hub no longer exists. */
async function listConnections(
  deps: PeeringApplyDeps,
  hubId: string,
  deadline: number,
): Promise<ArmHubConnection[] | undefined> {
  const list = await deps.client.listAll(api(`${hubId}/hubVirtualNetworkConnections`), deadline);
  if (list.error) {
    if (isGone(list.error)) return undefined;
    throw list.error;
  }
  return list.items.map((item) => {
    const parsed = ArmHubConnectionSchema.safeParse(item);
    if (!parsed.success)
      throw new TerminalError(`Azure returned an unreadable hub connection on ${hubId}`, {
        code: 'UnreadableResponse',
      });
    return parsed.data;
  });
}

/** The connection a handle names: by id when it has one, else the hub's connection of the handle's VNet. */
async function findConnection(
  deps: PeeringApplyDeps,
  target: AttachmentHandle,
  deadline: number,
): Promise<ArmHubConnection | undefined> {
  if (target.id === undefined) {
    const all = await listConnections(deps, target.hub.id, deadline);
    return all?.find((c) => sameId(c.properties.remoteVirtualNetwork.id, target.network.id));
  }
  const body = await deps.client.getOptional(api(target.id), deadline);
  if (body === undefined) return undefined;
  const parsed = ArmHubConnectionSchema.safeParse(body);
  if (!parsed.success)
    throw new TerminalError(`Azure returned an unreadable hub connection ${target.id}`, { code: 'UnreadableResponse' });
  return parsed.data;
}

/** The name peerkeeper gives a connection: the prefix marks it as ours; a hash keeps two same-named VNets apart. */
export function connectionName(vnetId: string, taken: readonly ArmHubConnection[]): string {
  const plain = `${MANAGED_HALF_PREFIX}${nameOf(vnetId)}`.slice(0, 80);
  if (!taken.some((c) => sameId(c.name, plain))) return plain;
  const hash = createHash('sha256').update(vnetId.toLowerCase()).digest('hex').slice(0, 8);
  return `${plain.slice(0, 71)}-${hash}`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((s) => y.has(s));
}

/** True when `current` routes as `wanted` says; labels count only when `wanted` names them. */
export function sameRouting(current: AttachmentRouting, wanted: AttachmentRouting): boolean {
  return (
    (current.association ?? '').toLowerCase() === (wanted.association ?? '').toLowerCase() &&
    sameSet(current.propagations, wanted.propagations) &&
    (wanted.labels === undefined || sameSet(current.labels ?? [], wanted.labels))
  );
}

/** `routingConfiguration` for a routing, laid over what the connection already has (static VNet routes, maps). */
function routingConfiguration(
  hubId: string,
  routing: AttachmentRouting,
  existing: ArmHubConnection | undefined,
): Record<string, unknown> {
  const current = existing?.properties.routingConfiguration ?? {};
  const vnetRoutes = current.vnetRoutes ? { ...current.vnetRoutes } : undefined;
  if (vnetRoutes) delete vnetRoutes.bgpConnections; // read-only
  return {
    ...current,
    ...(vnetRoutes ? { vnetRoutes } : {}),
    ...(routing.association ? { associatedRouteTable: { id: hubRouteTableId(hubId, routing.association) } } : {}),
    propagatedRouteTables: {
      ids: routing.propagations.map((name) => ({ id: hubRouteTableId(hubId, name) })),
      labels: routing.labels ?? current.propagatedRouteTables?.labels ?? [],
    },
  };
}

/** PUT a connection (create or re-route) and wait for its operation; returns its id, lower-cased. */
async function putConnection(
  deps: PeeringApplyDeps,
  hubId: string,
  name: string,
  vnetId: string,
  routing: AttachmentRouting,
  deadline: number,
  existing?: ArmHubConnection,
): Promise<string> {
  // ARM computes provisioningState (and returns resourceGuid): never sent back. The rest is, as PUT replaces.
  const { provisioningState: _state, resourceGuid: _guid, ...kept } = existing?.properties ?? {};
  const properties = {
    ...kept,
    remoteVirtualNetwork: { id: existing?.properties.remoteVirtualNetwork.id ?? vnetId },
    routingConfiguration: routingConfiguration(hubId, routing, existing),
  };
  const path = existing?.id ?? connectionPath(hubId, name);
  const response = await deps.client.request('PUT', api(path), deadline, { properties });
  await deps.client.waitFor(response, deadline);
  return (existing?.id ?? path).toLowerCase();
}

function hubOfConnection(connection: ArmHubConnection): string {
  return connection.id.replace(/\/hubVirtualNetworkConnections\/[^/]+$/i, '');
}

function refuseForeign(connection: ArmHubConnection, what: string): void {
  if (!isManagedConnection(connection))
    throw new TerminalError(
      `refusing to ${what} hub connection ${connection.id}: peerkeeper did not create it (its name lacks ${MANAGED_HALF_PREFIX})`,
      { code: 'NotManaged' },
    );
}

/**
 * create-attachment: PUT a connection on the hub (the hub's owner creates it; nothing to accept). A connection of
 * the VNet that already exists is the answer when it is ours, and a refusal naming it when it is someone else's.
 */
export async function createConnection(
  deps: PeeringApplyDeps,
  action: ActionOf<'create-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const { hub, network } = action.target;
  if (!VIRTUAL_HUB_ID.test(hub.id))
    throw new TerminalError(`hub ${hub.id} is not a virtualHubs resource id: the hub was not observed`, {
      code: 'UnknownHub',
    });
  if (!deps.subscriptions.has(hub.account.toLowerCase()))
    return { status: 'skipped', detail: `hub ${hub.id} is outside the managed subscriptions` };
  const connections = await listConnections(deps, hub.id, ctx.deadline);
  if (!connections) return { status: 'skipped', detail: `hub ${hub.id} no longer exists` };
  const existing = connections.find((c) => sameId(c.properties.remoteVirtualNetwork.id, network.id));
  if (existing && !isManagedConnection(existing))
    throw new TerminalError(
      `${network.id} is already connected to ${hub.id} by ${existing.id}, which peerkeeper did not create`,
      { code: 'ForeignConnection' },
    );
  if (existing && existing.properties.provisioningState !== 'Failed')
    return { status: 'converged', peeringId: existing.id.toLowerCase() };
  const name = existing?.name ?? connectionName(network.id, connections);
  const id = await putConnection(deps, hub.id, name, network.id, action.after.routing, ctx.deadline, existing);
  return { status: 'done', peeringId: id };
}

/** update-attachment: re-route a connection of ours, if it still routes as the plan saw. */
export async function updateConnection(
  deps: PeeringApplyDeps,
  action: ActionOf<'update-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const connection = await findConnection(deps, action.target, ctx.deadline);
  if (!connection) return { status: 'skipped', detail: `no connection of ${action.target.network.id} on the hub` };
  refuseForeign(connection, 're-route');
  const current = connectionRouting(connection);
  if (sameRouting(current, action.after)) return { status: 'converged' };
  if (!sameRouting(current, action.before))
    return { status: 'skipped', detail: `${connection.id} now routes otherwise than the plan saw` };
  const hubId = hubOfConnection(connection);
  await putConnection(
    deps,
    hubId,
    connection.name,
    connection.properties.remoteVirtualNetwork.id,
    action.after,
    ctx.deadline,
    connection,
  );
  return { status: 'done' };
}

/** delete-attachment: DELETE a connection of ours and wait for the operation. */
export async function deleteConnection(
  deps: PeeringApplyDeps,
  action: ActionOf<'delete-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const connection = await findConnection(
    deps,
    { ...action.target, id: action.target.id ?? action.before.id },
    ctx.deadline,
  );
  if (!connection) return { status: 'converged', detail: 'the connection is already gone' };
  refuseForeign(connection, 'delete');
  try {
    const response = await deps.client.request('DELETE', api(connection.id), ctx.deadline);
    await deps.client.waitFor(response, ctx.deadline);
    return { status: response.status === 204 ? 'converged' : 'done' };
  } catch (error) {
    if (error instanceof ConvergedError) return { status: 'converged' };
    throw error;
  }
}
