/** ARM JSON → the normalized model. Pure: no I/O, so the join of peering halves is unit- and property-tested. */
import { z } from 'zod';
import {
  MANAGED_TAG,
  type Network,
  type NetworkRef,
  type Peering,
  type PeeringOptions,
  type Route,
  type RouteTable,
} from '../../model';

/** Azure peerings carry no tags: a half peerkeeper created is recognized by this name prefix. */
export const MANAGED_HALF_PREFIX = 'peerkeeper-';

const AddressSpace = z.object({ addressPrefixes: z.array(z.string()).default([]) });

export const ArmHalfSchema = z.object({
  id: z.string(),
  name: z.string(),
  // Loose: every property ARM returns is kept, so a PUT (which replaces the half) can send back what we do not manage.
  properties: z.looseObject({
    allowVirtualNetworkAccess: z.boolean().optional(),
    allowForwardedTraffic: z.boolean().optional(),
    allowGatewayTransit: z.boolean().optional(),
    useRemoteGateways: z.boolean().optional(),
    remoteVirtualNetwork: z.object({ id: z.string() }),
    remoteAddressSpace: AddressSpace.optional(),
    peeringState: z.string().optional(),
    peeringSyncLevel: z.string().optional(),
    provisioningState: z.string().optional(),
  }),
});
export type ArmHalf = z.infer<typeof ArmHalfSchema>;

export const ArmVnetSchema = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  tags: z.record(z.string(), z.string()).nullish(),
  properties: z.object({
    addressSpace: AddressSpace.optional(),
    virtualNetworkPeerings: z.array(ArmHalfSchema).default([]),
  }),
});
export type ArmVnet = z.infer<typeof ArmVnetSchema>;

export const ArmRouteSchema = z.object({
  name: z.string(),
  properties: z.object({ addressPrefix: z.string(), nextHopType: z.string(), nextHopIpAddress: z.string().optional() }),
});
export type ArmRoute = z.infer<typeof ArmRouteSchema>;

export const ArmRouteTableSchema = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  tags: z.record(z.string(), z.string()).nullish(),
  properties: z.object({
    routes: z.array(ArmRouteSchema).default([]),
    subnets: z.array(z.object({ id: z.string() })).default([]),
  }),
});
export type ArmRouteTable = z.infer<typeof ArmRouteTableSchema>;

/** The subscription id inside an ARM resource id (lower-cased), or undefined. */
export function subscriptionOf(id: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();
}

/** The last segment of a resource id (a VNet's name from its id). */
export function nameOf(id: string): string {
  return id.split('/').filter(Boolean).pop() ?? id;
}

/** The VNet id a subnet id belongs to (`…/virtualNetworks/v/subnets/s` → `…/virtualNetworks/v`). */
export function vnetOfSubnet(subnetId: string): string {
  return subnetId.replace(/\/subnets\/[^/]+$/i, '');
}

/** NetworkRef of a VNet. ARM ids are case-insensitive, so the id is lower-cased for stable keys. */
export function vnetRef(vnet: Pick<ArmVnet, 'id' | 'location'>): NetworkRef {
  return {
    cloud: 'azure',
    account: subscriptionOf(vnet.id) ?? 'unknown',
    region: vnet.location.toLowerCase(),
    id: vnet.id.toLowerCase(),
  };
}

/** NetworkRef of a VNet known only by id (outside the observed subscriptions): region 'unknown'. */
export function remoteRef(id: string, known: ReadonlyMap<string, NetworkRef>): NetworkRef {
  return (
    known.get(id.toLowerCase()) ?? {
      cloud: 'azure',
      account: subscriptionOf(id) ?? 'unknown',
      region: 'unknown',
      id: id.toLowerCase(),
    }
  );
}

/** UDR next hop as a route target: `VirtualAppliance:<ip>` for appliances, else the nextHopType. */
export function routeTarget(route: ArmRoute): Route['target'] {
  const { nextHopType, nextHopIpAddress } = route.properties;
  return {
    kind: 'other',
    id: nextHopType === 'VirtualAppliance' ? `VirtualAppliance:${nextHopIpAddress ?? ''}` : nextHopType,
  };
}

export function toRouteTable(table: ArmRouteTable, network: NetworkRef): RouteTable {
  return {
    id: table.id.toLowerCase(),
    network,
    tags: { ...table.tags },
    routes: table.properties.routes.map((r) => ({
      destination: r.properties.addressPrefix,
      target: routeTarget(r),
      origin: 'static',
    })),
  };
}

export function toNetwork(vnet: ArmVnet, routeTables: RouteTable[]): Network {
  return {
    ref: vnetRef(vnet),
    name: vnet.name,
    cidrs: [...(vnet.properties.addressSpace?.addressPrefixes ?? [])],
    tags: { ...vnet.tags },
    routeTables,
  };
}

/** One observed half and the VNet it sits on. */
export interface ObservedHalf {
  local: NetworkRef;
  half: ArmHalf;
}

function halfOptions(half: ArmHalf): PeeringOptions {
  const p = half.properties;
  const options: PeeringOptions = {};
  for (const key of [
    'allowVirtualNetworkAccess',
    'allowForwardedTraffic',
    'allowGatewayTransit',
    'useRemoteGateways',
  ] as const) {
    if (p[key] !== undefined) options[key] = p[key];
  }
  return options;
}

function stateOf(halves: ObservedHalf[]): Pick<Peering, 'state' | 'message'> {
  const failed = halves.find((h) => h.half.properties.provisioningState === 'Failed');
  if (failed)
    return { state: 'failed', message: `half ${failed.half.name} on ${failed.local.id} has provisioningState Failed` };
  const disconnected = halves.find((h) => h.half.properties.peeringState === 'Disconnected');
  if (disconnected) {
    return {
      state: 'failed',
      message: `half ${disconnected.half.name} on ${disconnected.local.id} is Disconnected: its reciprocal half or remote VNet was deleted; update or re-create it`,
    };
  }
  if (halves.some((h) => h.half.properties.peeringState === 'Connected')) return { state: 'active' };
  return { state: 'requested' };
}

/**
 * Joins halves into one Peering per VNet pair. requester = the VNet whose half exists when only one
 * does, else the smaller lower-cased VNet id; Peering.id = the requester half's id (lower-cased);
 * options = the requester half's. `known` maps lower-cased VNet ids to observed refs.
 */
export function joinHalves(halves: readonly ObservedHalf[], known: ReadonlyMap<string, NetworkRef>): Peering[] {
  const pairs = new Map<string, ObservedHalf[]>();
  for (const observed of halves) {
    const a = observed.local.id.toLowerCase();
    const b = observed.half.properties.remoteVirtualNetwork.id.toLowerCase();
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    pairs.set(key, [...(pairs.get(key) ?? []), observed]);
  }
  const peerings: Peering[] = [];
  for (const group of pairs.values()) {
    const sorted = [...group].sort((x, y) => (x.local.id.toLowerCase() < y.local.id.toLowerCase() ? -1 : 1));
    const requesterHalf = sorted[0]!;
    const requester = requesterHalf.local;
    const accepter = remoteRef(requesterHalf.half.properties.remoteVirtualNetwork.id, known);
    const managed = group.some((h) => h.half.name.toLowerCase().startsWith(MANAGED_HALF_PREFIX));
    const needsSync = group.some((h) => (h.half.properties.peeringSyncLevel ?? 'FullyInSync') !== 'FullyInSync');
    peerings.push({
      id: requesterHalf.half.id.toLowerCase(),
      cloud: 'azure',
      requester,
      accepter,
      ...stateOf(group),
      options: halfOptions(requesterHalf.half),
      tags: managed ? { [MANAGED_TAG]: 'true' } : {},
      ...(needsSync ? { needsSync: true } : {}),
    });
  }
  return peerings.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** Parses each listed item; an item ARM returns in a shape we cannot read is a gap, never a crash. */
export function parseAll<T>(
  items: unknown[],
  schema: { safeParse(x: unknown): { success: true; data: T } | { success: false } },
  what: string,
  gaps: string[],
): T[] {
  const parsed: T[] = [];
  for (const item of items) {
    const result = schema.safeParse(item);
    if (result.success) parsed.push(result.data);
    else gaps.push(`${what}: unreadable item ${JSON.stringify((item as { id?: unknown } | null)?.id ?? null)}`);
  }
  return parsed;
}
