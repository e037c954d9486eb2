import { ArmError, childNotFound, resourceNotFound } from './armError';
import {
  type Answer,
  anotherOperation,
  booleanField,
  field,
  type Exchange,
  type HandlerContext,
  page,
  refuseIfBusy,
  startLro,
  stringField,
  stringList,
  tagsField,
} from './exchange';
import { deleteHalf, peeredOverlap, putHalf } from './peerings';
import { type HalfSettings, networkResourceId, type VnetRecord } from './records';
import { halfBody, vnetBody } from './serialize';

const VNET_OP = 'Microsoft.Network/virtualNetworks';
const PEERING_OP = 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings';

function vnetId(ex: Exchange): string {
  return networkResourceId(ex.params.s!, ex.params.rg!, 'virtualNetworks', ex.params.v!);
}

/** The VNet the path names, if it exists and is visible yet. */
function visibleVnet(ex: Exchange, ctx: HandlerContext): VnetRecord {
  ctx.state.resourceGroup(ex.params.s!, ex.params.rg!);
  const vnet = ctx.state.vnet(vnetId(ex));
  if (!vnet || vnet.visibleAt > ctx.state.now()) throw resourceNotFound(VNET_OP, ex.params.v!, ex.params.rg!);
  return vnet;
}

function visibleAt(ctx: HandlerContext): number {
  return ctx.state.now() + ctx.faults.visibilityDelayMs;
}

export function listVnets(ex: Exchange, ctx: HandlerContext): Answer {
  ctx.state.subscription(ex.params.s!);
  if (ex.params.rg) ctx.state.resourceGroup(ex.params.s!, ex.params.rg);
  const now = ctx.state.now();
  const vnets = [...ctx.state.vnets.values()].filter(
    (v) =>
      v.subscription.toLowerCase() === ex.params.s!.toLowerCase() &&
      (!ex.params.rg || v.resourceGroup.toLowerCase() === ex.params.rg.toLowerCase()) &&
      v.visibleAt <= now,
  );
  return page(
    vnets.map((v) => vnetBody(ctx.state, v)),
    ex,
    ctx,
  );
}

export function getVnet(ex: Exchange, ctx: HandlerContext): Answer {
  return { status: 200, body: vnetBody(ctx.state, visibleVnet(ex, ctx)) };
}

/** PUT of a VNet: location and address space; `properties.subnets`, when given, replaces the subnets. */
export function putVnet(ex: Exchange, ctx: HandlerContext): Answer {
  ctx.state.resourceGroup(ex.params.s!, ex.params.rg!);
  const id = vnetId(ex);
  refuseIfBusy(ctx, id, ex);
  const location = stringField(ex.body, 'location');
  const addressPrefixes = stringList(ex.body, 'properties', 'addressSpace', 'addressPrefixes');
  if (!location || !addressPrefixes)
    throw new ArmError(
      400,
      'InvalidRequestFormat',
      'Cannot parse the request: location and properties.addressSpace.addressPrefixes are required.',
    );
  const tags = tagsField(ex.body);
  const current = ctx.state.vnet(id);
  const conflict = current && peeredOverlap(ctx.state, current, addressPrefixes);
  if (current && conflict) {
    // ARM accepts the PUT and fails its operation; the address space stays as it was.
    const headers = startLro(ex, ctx, {
      lockKey: current.id,
      location: current.location,
      subscription: current.subscription,
      failure: { code: conflict.code, message: conflict.message },
    });
    return { status: 200, body: vnetBody(ctx.state, current), headers };
  }
  const { record, created } = ctx.state.createVnet(
    {
      subscription: ex.params.s!,
      resourceGroup: ex.params.rg!,
      name: ex.params.v!,
      location,
      addressPrefixes,
      ...(tags ? { tags } : {}),
    },
    visibleAt(ctx),
  );
  const subnets = field(ex.body, 'properties', 'subnets');
  if (Array.isArray(subnets)) {
    record.subnets.clear();
    for (const subnet of subnets) {
      const name = stringField(subnet, 'name');
      const addressPrefix = stringField(subnet, 'properties', 'addressPrefix');
      const routeTableId = stringField(subnet, 'properties', 'routeTable', 'id');
      if (name && addressPrefix)
        ctx.state.associateSubnet({
          vnetId: record.id,
          name,
          addressPrefix,
          ...(routeTableId ? { routeTableId } : {}),
        });
    }
  }
  const headers = startLro(ex, ctx, {
    lockKey: record.id,
    location: record.location,
    subscription: record.subscription,
    record,
  });
  return {
    status: created ? 201 : 200,
    body: vnetBody(ctx.state, record),
    headers,
    change: {
      kind: 'write',
      resourceUri: record.id,
      operationName: `${VNET_OP}/write`,
      subscriptionId: record.subscription,
    },
  };
}

export function deleteVnet(ex: Exchange, ctx: HandlerContext): Answer {
  ctx.state.resourceGroup(ex.params.s!, ex.params.rg!);
  const vnet = ctx.state.vnet(vnetId(ex));
  if (!vnet) return { status: 204 };
  refuseIfBusy(ctx, vnet.id, ex);
  ctx.state.deleteVnet(vnet.id);
  const headers = startLro(ex, ctx, { lockKey: vnet.id, location: vnet.location, subscription: vnet.subscription });
  return {
    status: 202,
    headers,
    change: {
      kind: 'delete',
      resourceUri: vnet.id,
      operationName: `${VNET_OP}/delete`,
      subscriptionId: vnet.subscription,
    },
  };
}

export function listPeerings(ex: Exchange, ctx: HandlerContext): Answer {
  const vnet = visibleVnet(ex, ctx);
  const now = ctx.state.now();
  return page(
    [...vnet.peerings.values()].filter((h) => h.visibleAt <= now).map((h) => halfBody(ctx.state, vnet, h)),
    ex,
    ctx,
  );
}

export function getPeering(ex: Exchange, ctx: HandlerContext): Answer {
  const vnet = visibleVnet(ex, ctx);
  const half = vnet.peerings.get(ex.params.p!.toLowerCase());
  if (!half || half.visibleAt > ctx.state.now())
    throw childNotFound(`${vnet.id}/virtualNetworkPeerings/${ex.params.p!}`);
  return { status: 200, body: halfBody(ctx.state, vnet, half) };
}

/**
 * PUT of one half; `?syncRemoteAddressSpace=true` refreshes its copy of the remote address space. The body
 * replaces the half. While another write holds the VNet, ARM accepts the PUT and fails its operation with
 * AnotherOperationInProgress (nothing changes).
 */
export function putPeering(ex: Exchange, ctx: HandlerContext): Answer {
  const vnet = visibleVnet(ex, ctx);
  const existing = vnet.peerings.get(ex.params.p!.toLowerCase());
  if (ctx.state.isBusy(vnet.id)) {
    const headers = startLro(ex, ctx, {
      lockKey: vnet.id,
      location: vnet.location,
      subscription: vnet.subscription,
      failure: anotherOperation(ex),
    });
    const body = existing
      ? halfBody(ctx.state, vnet, existing)
      : {
          id: `${vnet.id}/virtualNetworkPeerings/${ex.params.p!}`,
          name: ex.params.p!,
          properties: { ...(field(ex.body, 'properties') as object), provisioningState: 'Updating' },
        };
    return { status: existing ? 200 : 201, body, headers };
  }
  const options: Record<string, boolean> = {};
  for (const key of [
    'allowVirtualNetworkAccess',
    'allowForwardedTraffic',
    'allowGatewayTransit',
    'useRemoteGateways',
  ]) {
    const value = booleanField(ex.body, 'properties', key);
    if (value !== undefined) options[key] = value;
  }
  const settings: Partial<HalfSettings> = {};
  for (const key of ['doNotVerifyRemoteGateways', 'peerCompleteVnets', 'enableOnlyIPv6Peering'] as const) {
    const value = booleanField(ex.body, 'properties', key);
    if (value !== undefined) settings[key] = value;
  }
  for (const key of ['localSubnetNames', 'remoteSubnetNames'] as const) {
    const value = stringList(ex.body, 'properties', key);
    if (value !== undefined) settings[key] = value;
  }
  const { record, created } = putHalf(
    ctx.state,
    vnet.id,
    ex.params.p!,
    {
      remoteId: stringField(ex.body, 'properties', 'remoteVirtualNetwork', 'id') ?? '',
      options,
      settings,
      sync: ex.query.get('syncRemoteAddressSpace')?.toLowerCase() === 'true',
    },
    visibleAt(ctx),
  );
  const headers = startLro(ex, ctx, {
    lockKey: vnet.id,
    location: vnet.location,
    subscription: vnet.subscription,
    record,
  });
  const id = `${vnet.id}/virtualNetworkPeerings/${record.name}`;
  return {
    status: created ? 201 : 200,
    body: halfBody(ctx.state, vnet, record),
    headers,
    change: { kind: 'write', resourceUri: id, operationName: `${PEERING_OP}/write`, subscriptionId: vnet.subscription },
  };
}

/** DELETE of one half: 204 when it is already gone (ARM deletes are idempotent), else 202 + LRO. */
export function deletePeering(ex: Exchange, ctx: HandlerContext): Answer {
  const vnet = visibleVnet(ex, ctx);
  const half = vnet.peerings.get(ex.params.p!.toLowerCase());
  if (!half) return { status: 204 };
  if (ctx.state.isBusy(vnet.id)) {
    return {
      status: 202,
      headers: startLro(ex, ctx, {
        lockKey: vnet.id,
        location: vnet.location,
        subscription: vnet.subscription,
        failure: anotherOperation(ex),
      }),
    };
  }
  deleteHalf(ctx.state, vnet.id, half.name);
  const headers = startLro(ex, ctx, { lockKey: vnet.id, location: vnet.location, subscription: vnet.subscription });
  const id = `${vnet.id}/virtualNetworkPeerings/${half.name}`;
  return {
    status: 202,
    headers,
    change: {
      kind: 'delete',
      resourceUri: id,
      operationName: `${PEERING_OP}/delete`,
      subscriptionId: vnet.subscription,
    },
  };
}
