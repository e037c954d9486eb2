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
  tagsField,
} from './exchange';
import { networkResourceId, type RouteTableRecord } from './records';
import { routeBody, routeTableBody } from './serialize';

const TABLE_OP = 'Microsoft.Network/routeTables';
const ROUTE_OP = 'Microsoft.Network/routeTables/routes';

function tableId(ex: Exchange): string {
  return networkResourceId(ex.params.s!, ex.params.rg!, 'routeTables', ex.params.t!);
}

function visibleTable(ex: Exchange, ctx: HandlerContext): RouteTableRecord {
  ctx.state.resourceGroup(ex.params.s!, ex.params.rg!);
  const table = ctx.state.routeTable(tableId(ex));
  if (!table || table.visibleAt > ctx.state.now()) throw resourceNotFound(TABLE_OP, ex.params.t!, ex.params.rg!);
  return table;
}

function routeInput(
  name: string,
  body: unknown,
): { name: string; addressPrefix: string; nextHopType: string; nextHopIpAddress?: string } {
  const addressPrefix = stringField(body, 'properties', 'addressPrefix');
  const nextHopType = stringField(body, 'properties', 'nextHopType');
  const nextHopIpAddress = stringField(body, 'properties', 'nextHopIpAddress');
  if (!addressPrefix || !nextHopType)
    throw new ArmError(
      400,
      'InvalidRequestFormat',
      `Cannot parse the request: route ${name} needs properties.addressPrefix and properties.nextHopType.`,
    );
  return { name, addressPrefix, nextHopType, ...(nextHopIpAddress ? { nextHopIpAddress } : {}) };
}

export function listRouteTables(ex: Exchange, ctx: HandlerContext): Answer {
  ctx.state.subscription(ex.params.s!);
  if (ex.params.rg) ctx.state.resourceGroup(ex.params.s!, ex.params.rg);
  const now = ctx.state.now();
  const tables = [...ctx.state.routeTables.values()].filter(
    (t) =>
      t.subscription.toLowerCase() === ex.params.s!.toLowerCase() &&
      (!ex.params.rg || t.resourceGroup.toLowerCase() === ex.params.rg.toLowerCase()) &&
      t.visibleAt <= now,
  );
  return page(
    tables.map((t) => routeTableBody(ctx.state, t)),
    ex,
    ctx,
  );
}

export function getRouteTable(ex: Exchange, ctx: HandlerContext): Answer {
  return { status: 200, body: routeTableBody(ctx.state, visibleTable(ex, ctx)) };
}

/** PUT of a route table; `properties.routes`, when given, replaces the routes. */
export function putRouteTable(ex: Exchange, ctx: HandlerContext): Answer {
  ctx.state.resourceGroup(ex.params.s!, ex.params.rg!);
  refuseIfBusy(ctx, tableId(ex), ex);
  const location = stringField(ex.body, 'location');
  if (!location) throw new ArmError(400, 'InvalidRequestFormat', 'Cannot parse the request: location is required.');
  const tags = tagsField(ex.body);
  const disable = booleanField(ex.body, 'properties', 'disableBgpRoutePropagation');
  const visibleAt = ctx.state.now() + ctx.faults.visibilityDelayMs;
  const { record, created } = ctx.state.createRouteTable(
    {
      subscription: ex.params.s!,
      resourceGroup: ex.params.rg!,
      name: ex.params.t!,
      location,
      ...(tags ? { tags } : {}),
      ...(disable !== undefined ? { disableBgpRoutePropagation: disable } : {}),
    },
    visibleAt,
  );
  const routes = field(ex.body, 'properties', 'routes');
  if (Array.isArray(routes)) {
    const inputs = routes.map((r) => routeInput(stringField(r, 'name') ?? '', r));
    record.routes.clear();
    for (const input of inputs) ctx.state.addRoute(record.id, input, visibleAt);
  }
  const headers = startLro(ex, ctx, {
    lockKey: record.id,
    location: record.location,
    subscription: record.subscription,
    record,
  });
  return {
    status: created ? 201 : 200,
    body: routeTableBody(ctx.state, record),
    headers,
    change: {
      kind: 'write',
      resourceUri: record.id,
      operationName: `${TABLE_OP}/write`,
      subscriptionId: record.subscription,
    },
  };
}

export function deleteRouteTable(ex: Exchange, ctx: HandlerContext): Answer {
  ctx.state.resourceGroup(ex.params.s!, ex.params.rg!);
  const table = ctx.state.routeTable(tableId(ex));
  if (!table) return { status: 204 };
  refuseIfBusy(ctx, table.id, ex);
  ctx.state.routeTables.delete(table.id.toLowerCase());
  const headers = startLro(ex, ctx, { lockKey: table.id, location: table.location, subscription: table.subscription });
  return {
    status: 202,
    headers,
    change: {
      kind: 'delete',
      resourceUri: table.id,
      operationName: `${TABLE_OP}/delete`,
      subscriptionId: table.subscription,
    },
  };
}

export function listRoutes(ex: Exchange, ctx: HandlerContext): Answer {
  const table = visibleTable(ex, ctx);
  const now = ctx.state.now();
  return page(
    [...table.routes.values()].filter((r) => r.visibleAt <= now).map((r) => routeBody(ctx.state, table, r)),
    ex,
    ctx,
  );
}

export function getRoute(ex: Exchange, ctx: HandlerContext): Answer {
  const table = visibleTable(ex, ctx);
  const route = table.routes.get(ex.params.r!.toLowerCase());
  if (!route || route.visibleAt > ctx.state.now()) throw childNotFound(`${table.id}/routes/${ex.params.r!}`);
  return { status: 200, body: routeBody(ctx.state, table, route) };
}

export function putRoute(ex: Exchange, ctx: HandlerContext): Answer {
  const table = visibleTable(ex, ctx);
  refuseIfBusy(ctx, table.id, ex);
  const { record, created } = ctx.state.addRoute(
    table.id,
    routeInput(ex.params.r!, ex.body),
    ctx.state.now() + ctx.faults.visibilityDelayMs,
  );
  const headers = startLro(ex, ctx, {
    lockKey: table.id,
    location: table.location,
    subscription: table.subscription,
    record,
  });
  return {
    status: created ? 201 : 200,
    body: routeBody(ctx.state, table, record),
    headers,
    change: {
      kind: 'write',
      resourceUri: `${table.id}/routes/${record.name}`,
      operationName: `${ROUTE_OP}/write`,
      subscriptionId: table.subscription,
    },
  };
}

export function deleteRoute(ex: Exchange, ctx: HandlerContext): Answer {
  const table = visibleTable(ex, ctx);
  const route = table.routes.get(ex.params.r!.toLowerCase());
  if (!route) return { status: 204 };
  refuseIfBusy(ctx, table.id, ex);
  ctx.state.deleteRoute(table.id, route.name);
  const headers = startLro(ex, ctx, { lockKey: table.id, location: table.location, subscription: table.subscription });
  return {
    status: 202,
    headers,
    change: {
      kind: 'delete',
      resourceUri: `${table.id}/routes/${route.name}`,
      operationName: `${ROUTE_OP}/delete`,
      subscriptionId: table.subscription,
    },
  };
}
