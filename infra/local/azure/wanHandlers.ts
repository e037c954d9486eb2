import { ArmError, childNotFound, resourceNotFound } from './armError';
import {
  type Answer,
  booleanField,
  type Exchange,
  field,
  type HandlerContext,
  page,
  refuseIfBusy,
  startLro,
  stringField,
  stringList,
} from './exchange';
import { networkResourceId } from './records';
import type { HubConnectionInput } from './virtualWan';
import { hubConnectionId, hubRouteTableId, type HubRouteRecord, type VirtualHubRecord } from './wanRecords';
import { hubConnectionBody, hubRouteTableBody, virtualHubBody, virtualWanBody } from './wanSerialize';

const HUB_OP = 'Microsoft.Network/virtualHubs';
const CONNECTION_OP = `${HUB_OP}/hubVirtualNetworkConnections`;
const TABLE_OP = `${HUB_OP}/hubRouteTables`;

/** The hub the path names, if it exists and is visible yet. */
/**
 * The answer to a PUT under a hub (a route table, a connection): 201 or 200 with the resource, a long-running
 * operation that locks the hub, and the write event.
 */
function hubWrite(
  ex: Exchange,
  ctx: HandlerContext,
  hub: VirtualHubRecord,
  record: { pendingOp?: string },
  created: boolean,
  what: { body: () => unknown; resourceUri: string; operation: string },
): Answer {
  const headers = startLro(ex, ctx, {
    lockKey: hub.id,
    location: hub.location,
    subscription: hub.subscription,
    record,
  });
  return {
    status: created ? 201 : 200,
    // After the operation starts: the body shows the write in flight (Updating).
    body: what.body(),
    headers,
    change: {
      kind: 'write',
      resourceUri: what.resourceUri,
      operationName: `${what.operation}/write`,
      subscriptionId: hub.subscription,
    },
  };
}

function visibleHub(ex: Exchange, ctx: HandlerContext): VirtualHubRecord {
  ctx.state.resourceGroup(ex.params.s!, ex.params.rg!);
  const hub = ctx.state.wan.hub(networkResourceId(ex.params.s!, ex.params.rg!, 'virtualHubs', ex.params.h!));
  if (!hub || hub.visibleAt > ctx.state.now()) throw resourceNotFound(HUB_OP, ex.params.h!, ex.params.rg!);
  return hub;
}

function visibleAt(ctx: HandlerContext): number {
  return ctx.state.now() + ctx.faults.visibilityDelayMs;
}

export function getVirtualWan(ex: Exchange, ctx: HandlerContext): Answer {
  ctx.state.resourceGroup(ex.params.s!, ex.params.rg!);
  const wan = ctx.state.wan.wans.get(
    networkResourceId(ex.params.s!, ex.params.rg!, 'virtualWans', ex.params.w!).toLowerCase(),
  );
  if (!wan) throw resourceNotFound('Microsoft.Network/virtualWans', ex.params.w!, ex.params.rg!);
  return { status: 200, body: virtualWanBody(wan) };
}

/** Hubs of a subscription, or of one resource group of it. */
export function listVirtualHubs(ex: Exchange, ctx: HandlerContext): Answer {
  ctx.state.subscription(ex.params.s!);
  if (ex.params.rg) ctx.state.resourceGroup(ex.params.s!, ex.params.rg);
  const now = ctx.state.now();
  const hubs = [...ctx.state.wan.hubs.values()].filter(
    (h) =>
      h.subscription.toLowerCase() === ex.params.s!.toLowerCase() &&
      (!ex.params.rg || h.resourceGroup.toLowerCase() === ex.params.rg.toLowerCase()) &&
      h.visibleAt <= now,
  );
  return page(
    hubs.map((h) => virtualHubBody(ctx.state, h)),
    ex,
    ctx,
  );
}

export function getVirtualHub(ex: Exchange, ctx: HandlerContext): Answer {
  return { status: 200, body: virtualHubBody(ctx.state, visibleHub(ex, ctx)) };
}

export function listHubRouteTables(ex: Exchange, ctx: HandlerContext): Answer {
  const hub = visibleHub(ex, ctx);
  const now = ctx.state.now();
  return page(
    [...hub.routeTables.values()].filter((t) => t.visibleAt <= now).map((t) => hubRouteTableBody(ctx.state, hub, t)),
    ex,
    ctx,
  );
}

export function getHubRouteTable(ex: Exchange, ctx: HandlerContext): Answer {
  const hub = visibleHub(ex, ctx);
  const table = hub.routeTables.get(ex.params.t!.toLowerCase());
  if (!table || table.visibleAt > ctx.state.now()) throw childNotFound(hubRouteTableId(hub, ex.params.t!));
  return { status: 200, body: hubRouteTableBody(ctx.state, hub, table) };
}

function hubRoutes(body: unknown): HubRouteRecord[] {
  const routes = field(body, 'properties', 'routes') ?? [];
  if (!Array.isArray(routes))
    throw new ArmError(400, 'InvalidRequestFormat', 'Cannot parse the request: properties.routes must be a list.');
  return routes.map((r) => ({
    name: stringField(r, 'name') ?? '',
    destinationType: stringField(r, 'destinationType') ?? '',
    destinations: stringList(r, 'destinations') ?? [],
    nextHopType: stringField(r, 'nextHopType') ?? '',
    nextHop: stringField(r, 'nextHop') ?? '',
  }));
}

/** PUT of a hub route table: its static routes and labels, a long-running operation that locks the hub. */
export function putHubRouteTable(ex: Exchange, ctx: HandlerContext): Answer {
  const hub = visibleHub(ex, ctx);
  refuseIfBusy(ctx, hub.id, ex);
  const { record, created } = ctx.state.wan.putRouteTable(
    hub.id,
    ex.params.t!,
    { routes: hubRoutes(ex.body), labels: stringList(ex.body, 'properties', 'labels') ?? [] },
    visibleAt(ctx),
  );
  return hubWrite(ex, ctx, hub, record, created, {
    body: () => hubRouteTableBody(ctx.state, hub, record),
    resourceUri: hubRouteTableId(hub, record.name),
    operation: TABLE_OP,
  });
}

export function listHubConnections(ex: Exchange, ctx: HandlerContext): Answer {
  const hub = visibleHub(ex, ctx);
  const now = ctx.state.now();
  return page(
    [...hub.connections.values()].filter((c) => c.visibleAt <= now).map((c) => hubConnectionBody(ctx.state, hub, c)),
    ex,
    ctx,
  );
}

export function getHubConnection(ex: Exchange, ctx: HandlerContext): Answer {
  const hub = visibleHub(ex, ctx);
  const connection = hub.connections.get(ex.params.c!.toLowerCase());
  if (!connection || connection.visibleAt > ctx.state.now()) throw childNotFound(hubConnectionId(hub, ex.params.c!));
  return { status: 200, body: hubConnectionBody(ctx.state, hub, connection) };
}

function connectionInput(body: unknown): HubConnectionInput {
  const remoteVnetId = stringField(body, 'properties', 'remoteVirtualNetwork', 'id');
  if (!remoteVnetId)
    throw new ArmError(
      400,
      'InvalidRequestFormat',
      'Cannot parse the request: properties.remoteVirtualNetwork.id is required.',
    );
  const routing = field(body, 'properties', 'routingConfiguration');
  const ids = field(routing, 'propagatedRouteTables', 'ids');
  const associated = stringField(routing, 'associatedRouteTable', 'id');
  // Labels default to `default` only when no propagation is given at all (Azure's default routing).
  const labels = stringList(routing, 'propagatedRouteTables', 'labels') ?? (Array.isArray(ids) ? [] : undefined);
  const staticRoutes = field(routing, 'vnetRoutes', 'staticRoutes');
  const input: HubConnectionInput = {
    remoteVnetId,
    ...(associated ? { associatedRouteTableId: associated } : {}),
    ...(Array.isArray(ids) ? { propagatedRouteTableIds: ids.map((i) => stringField(i, 'id') ?? '') } : {}),
    ...(labels ? { propagatedLabels: labels } : {}),
    ...(Array.isArray(staticRoutes) ? { staticRoutes } : {}),
  };
  for (const key of [
    'enableInternetSecurity',
    'allowHubToRemoteVnetTransit',
    'allowRemoteVnetToUseHubVnetGateways',
  ] as const) {
    const value = booleanField(body, 'properties', key);
    if (value !== undefined) input[key] = value;
  }
  return input;
}

/**
 * PUT of a hub VNet connection: 201/200 with provisioningState Updating and an Azure-AsyncOperation to poll. A write
 * on the hub while another runs gets 409 AnotherOperationInProgress; a VNet already connected (to this hub under
 * another name, or to another hub) is refused.
 */
export function putHubConnection(ex: Exchange, ctx: HandlerContext): Answer {
  const hub = visibleHub(ex, ctx);
  refuseIfBusy(ctx, hub.id, ex);
  const { record, created } = ctx.state.wan.putConnection(
    hub.id,
    ex.params.c!,
    connectionInput(ex.body),
    visibleAt(ctx),
  );
  return hubWrite(ex, ctx, hub, record, created, {
    body: () => hubConnectionBody(ctx.state, hub, record),
    resourceUri: hubConnectionId(hub, record.name),
    operation: CONNECTION_OP,
  });
}

/** DELETE of a connection: 204 when already gone, else 202 + LRO (the hub stays locked until it ends). */
export function deleteHubConnection(ex: Exchange, ctx: HandlerContext): Answer {
  const hub = visibleHub(ex, ctx);
  const connection = hub.connections.get(ex.params.c!.toLowerCase());
  if (!connection) return { status: 204 };
  refuseIfBusy(ctx, hub.id, ex);
  ctx.state.wan.deleteConnection(hub.id, connection.name);
  const headers = startLro(ex, ctx, { lockKey: hub.id, location: hub.location, subscription: hub.subscription });
  return {
    status: 202,
    headers,
    change: {
      kind: 'delete',
      resourceUri: hubConnectionId(hub, connection.name),
      operationName: `${CONNECTION_OP}/delete`,
      subscriptionId: hub.subscription,
    },
  };
}
