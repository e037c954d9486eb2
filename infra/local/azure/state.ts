import { randomUUID } from 'node:crypto';
import { ArmError, resourceNotFound } from './armError';
import { parseRange as parsePrefix } from '../ranges';
import { deleteHalf, peeredOverlap, putHalf, type PutHalfInput } from './peerings';
import { VirtualWanState } from './virtualWan';
import {
  networkResourceId,
  type HalfRecord,
  type OperationRecord,
  type ResourceGroupRecord,
  type RouteRecord,
  type ManagementGroupRecord,
  type RouteTableRecord,
  type SubscriptionRecord,
  type VnetRecord,
} from './records';

/** Azure's limit: 400 user-defined routes per route table. */
export const MAX_ROUTES_PER_TABLE = 400;
const NEXT_HOP_TYPES = ['VirtualNetworkGateway', 'VnetLocal', 'Internet', 'VirtualAppliance', 'None'];

export interface CreateVnetInput {
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  addressPrefixes: string[];
  tags?: Record<string, string>;
}

export interface CreateRouteTableInput {
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  disableBgpRoutePropagation?: boolean;
}

export interface RouteInput {
  name: string;
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
}

/**
 * Everything the emulator holds, with seeding helpers usable without HTTP. The HTTP layer calls the
 * same methods (and adds events, faults and LRO headers), so seeded and written state behave alike.
 */
export class AzureEmulatorState {
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  /** Management groups by lowercased name; the tenant root group is the tenant id. */
  readonly managementGroups = new Map<string, ManagementGroupRecord>();
  readonly resourceGroups = new Map<string, ResourceGroupRecord>();
  readonly vnets = new Map<string, VnetRecord>();
  readonly routeTables = new Map<string, RouteTableRecord>();
  readonly operations = new Map<string, OperationRecord>();
  /** Virtual WANs, hubs, hub route tables and hub VNet connections. */
  readonly wan = new VirtualWanState(this);
  /** How many `InProgress` answers an operation gives before `Succeeded` (0 = done at once). */
  lroPolls = 1;
  readonly tenantId = '72f988bf-0000-4000-8000-00000000feed';

  constructor(private readonly clock: () => Date) {}

  /** The emulator clock, epoch ms. */
  now(): number {
    return this.clock().getTime();
  }

  createSubscription(
    subscriptionId: string,
    opts: { displayName?: string; managementGroup?: string; tags?: Record<string, string> } = {},
  ): SubscriptionRecord {
    const record: SubscriptionRecord = {
      subscriptionId,
      displayName: opts.displayName ?? subscriptionId,
      tenantId: this.tenantId,
      ...(opts.managementGroup ? { managementGroup: opts.managementGroup } : {}),
      tags: opts.tags ?? {},
    };
    this.subscriptions.set(subscriptionId.toLowerCase(), record);
    return record;
  }

  /** Creates a management group under another (default: the tenant root group). */
  createManagementGroup(name: string, opts: { displayName?: string; parent?: string } = {}): ManagementGroupRecord {
    if (opts.parent && !this.managementGroups.has(opts.parent.toLowerCase()))
      throw new ArmError(404, 'NotFound', `Management group '${opts.parent}' not found.`);
    const record: ManagementGroupRecord = {
      name,
      displayName: opts.displayName ?? name,
      ...(opts.parent ? { parent: opts.parent } : {}),
    };
    this.managementGroups.set(name.toLowerCase(), record);
    return record;
  }

  /** The management groups at and below `name`, nested ones included (what `descendants` walks). */
  managementGroupsUnder(name: string): ManagementGroupRecord[] {
    const out: ManagementGroupRecord[] = [];
    const queue = [name.toLowerCase()];
    while (queue.length > 0) {
      const at = queue.shift()!;
      for (const g of this.managementGroups.values())
        if (g.parent?.toLowerCase() === at) {
          out.push(g);
          queue.push(g.name.toLowerCase());
        }
    }
    return out;
  }

  /** The subscription, or ARM's 404 `SubscriptionNotFound`. */
  subscription(subscriptionId: string): SubscriptionRecord {
    const found = this.subscriptions.get(subscriptionId.toLowerCase());
    if (!found)
      throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    return found;
  }

  ensureResourceGroup(
    subscription: string,
    name: string,
    location: string,
    tags: Record<string, string> = {},
  ): ResourceGroupRecord {
    if (!this.subscriptions.has(subscription.toLowerCase())) this.createSubscription(subscription);
    const key = `${subscription}/${name}`.toLowerCase();
    const existing = this.resourceGroups.get(key);
    if (existing) return existing;
    const record = { subscription, name, location, tags };
    this.resourceGroups.set(key, record);
    return record;
  }

  /** The resource group, or ARM's 404 `ResourceGroupNotFound`. */
  resourceGroup(subscription: string, name: string): ResourceGroupRecord {
    this.subscription(subscription);
    const found = this.resourceGroups.get(`${subscription}/${name}`.toLowerCase());
    if (!found) throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
    return found;
  }

  /** Creates or updates a VNet (PUT semantics). An address-space change leaves peering halves out of sync. */
  createVnet(input: CreateVnetInput, visibleAt = 0): { record: VnetRecord; created: boolean } {
    this.ensureResourceGroup(input.subscription, input.resourceGroup, input.location);
    for (const prefix of input.addressPrefixes) {
      if (!parsePrefix(prefix))
        throw new ArmError(400, 'InvalidAddressPrefixFormat', `Address prefix ${prefix} is not a valid CIDR.`);
    }
    const id = networkResourceId(input.subscription, input.resourceGroup, 'virtualNetworks', input.name);
    const existing = this.vnets.get(id.toLowerCase());
    if (existing) {
      const conflict = peeredOverlap(this, existing, input.addressPrefixes);
      if (conflict) throw conflict;
      existing.addressPrefixes = [...input.addressPrefixes];
      if (input.tags) existing.tags = { ...input.tags };
      return { record: existing, created: false };
    }
    const record: VnetRecord = {
      id,
      subscription: input.subscription,
      resourceGroup: input.resourceGroup,
      name: input.name,
      location: input.location,
      addressPrefixes: [...input.addressPrefixes],
      tags: { ...input.tags },
      subnets: new Map(),
      peerings: new Map(),
      resourceGuid: randomUUID(),
      visibleAt,
    };
    this.vnets.set(id.toLowerCase(), record);
    return { record, created: true };
  }

  /** Changes a VNet's address space in place, as the portal's "Address space" blade does. */
  setAddressSpace(vnetId: string, addressPrefixes: string[]): VnetRecord {
    const vnet = this.requireVnet(vnetId);
    return this.createVnet({ ...vnet, addressPrefixes }).record;
  }

  vnet(id: string): VnetRecord | undefined {
    return this.vnets.get(id.toLowerCase());
  }

  requireVnet(id: string): VnetRecord {
    const found = this.vnet(id);
    if (!found)
      throw resourceNotFound('Microsoft.Network/virtualNetworks', id.split('/').pop() ?? id, id.split('/')[4] ?? '');
    return found;
  }

  /** Deletes a VNet; halves elsewhere that point at it become `Disconnected`. */
  deleteVnet(id: string): boolean {
    return this.vnets.delete(id.toLowerCase());
  }

  /** Adds or replaces a subnet, optionally associated with a route table. */
  associateSubnet(input: { vnetId: string; name: string; addressPrefix: string; routeTableId?: string }): void {
    const vnet = this.requireVnet(input.vnetId);
    if (input.routeTableId && !this.routeTable(input.routeTableId))
      throw new ArmError(400, 'InvalidResourceReference', `Route table ${input.routeTableId} not found.`);
    vnet.subnets.set(input.name.toLowerCase(), {
      name: input.name,
      addressPrefix: input.addressPrefix,
      ...(input.routeTableId ? { routeTableId: this.routeTable(input.routeTableId)!.id } : {}),
    });
  }

  createRouteTable(input: CreateRouteTableInput, visibleAt = 0): { record: RouteTableRecord; created: boolean } {
    this.ensureResourceGroup(input.subscription, input.resourceGroup, input.location);
    const id = networkResourceId(input.subscription, input.resourceGroup, 'routeTables', input.name);
    const existing = this.routeTables.get(id.toLowerCase());
    if (existing) {
      if (input.tags) existing.tags = { ...input.tags };
      existing.disableBgpRoutePropagation = input.disableBgpRoutePropagation ?? existing.disableBgpRoutePropagation;
      return { record: existing, created: false };
    }
    const record: RouteTableRecord = {
      id,
      subscription: input.subscription,
      resourceGroup: input.resourceGroup,
      name: input.name,
      location: input.location,
      tags: { ...input.tags },
      disableBgpRoutePropagation: input.disableBgpRoutePropagation ?? false,
      routes: new Map(),
      visibleAt,
    };
    this.routeTables.set(id.toLowerCase(), record);
    return { record, created: true };
  }

  routeTable(id: string): RouteTableRecord | undefined {
    return this.routeTables.get(id.toLowerCase());
  }

  /** Creates or replaces a route, enforcing ARM's validation and the 400-routes limit. */
  addRoute(routeTableId: string, input: RouteInput, visibleAt = 0): { record: RouteRecord; created: boolean } {
    const table = this.routeTable(routeTableId);
    if (!table)
      throw resourceNotFound(
        'Microsoft.Network/routeTables',
        routeTableId.split('/').pop() ?? '',
        routeTableId.split('/')[4] ?? '',
      );
    if (!parsePrefix(input.addressPrefix))
      throw new ArmError(
        400,
        'InvalidAddressPrefixFormat',
        `Route ${input.name} has an invalid address prefix ${input.addressPrefix}.`,
      );
    if (!NEXT_HOP_TYPES.includes(input.nextHopType))
      throw new ArmError(
        400,
        'InvalidRequestFormat',
        `Route ${input.name} has an invalid nextHopType ${input.nextHopType}.`,
      );
    if ((input.nextHopType === 'VirtualAppliance') !== Boolean(input.nextHopIpAddress)) {
      throw new ArmError(
        400,
        'InvalidNextHopIpAddress',
        `Route ${input.name}: nextHopIpAddress is required for VirtualAppliance and only for it.`,
      );
    }
    const key = input.name.toLowerCase();
    const created = !table.routes.has(key);
    if (created && table.routes.size >= MAX_ROUTES_PER_TABLE) {
      throw new ArmError(
        400,
        'RouteTableRoutesLimitReached',
        `Route table ${table.id} cannot have more than ${MAX_ROUTES_PER_TABLE} routes.`,
      );
    }
    const record: RouteRecord = {
      name: input.name,
      addressPrefix: input.addressPrefix,
      nextHopType: input.nextHopType,
      ...(input.nextHopIpAddress ? { nextHopIpAddress: input.nextHopIpAddress } : {}),
      visibleAt,
    };
    table.routes.set(key, record);
    return { record, created };
  }

  deleteRoute(routeTableId: string, name: string): boolean {
    return this.routeTable(routeTableId)?.routes.delete(name.toLowerCase()) ?? false;
  }

  /** Seeds or updates one peering half (same validation as PUT: overlap, quota, disconnected remote). */
  createPeeringHalf(
    vnetId: string,
    name: string,
    input: PutHalfInput,
    visibleAt = 0,
  ): { record: HalfRecord; created: boolean } {
    return putHalf(this, vnetId, name, input, visibleAt);
  }

  deletePeeringHalf(vnetId: string, name: string): boolean {
    return deleteHalf(this, vnetId, name);
  }

  /**
   * Starts a long-running operation that locks `lockKey` until polled `lroPolls` times. With `failure`, the
   * write was accepted but ends `Failed` (ARM reports AnotherOperationInProgress and address-space
   * conflicts this way) and locks nothing.
   */
  startOperation(lockKey: string, location: string, failure?: OperationRecord['failure']): OperationRecord {
    const op: OperationRecord = {
      id: randomUUID(),
      location,
      remainingPolls: failure ? Math.max(this.lroPolls, 0) : this.lroPolls,
      lockKey: failure ? '' : lockKey.toLowerCase(),
      ...(failure ? { failure } : {}),
    };
    this.operations.set(op.id, op);
    return op;
  }

  /** Polls an operation; undefined when the id is unknown. */
  pollOperation(
    id: string,
  ): { status: 'InProgress' | 'Succeeded' | 'Failed'; error?: { code: string; message: string } } | undefined {
    const op = this.operations.get(id);
    if (!op) return undefined;
    if (op.remainingPolls <= 0) return op.failure ? { status: 'Failed', error: op.failure } : { status: 'Succeeded' };
    op.remainingPolls -= 1;
    return { status: 'InProgress' };
  }

  /** True while an operation that locks `lockKey` is still running. */
  isBusy(lockKey: string): boolean {
    const key = lockKey.toLowerCase();
    for (const op of this.operations.values()) if (op.lockKey === key && op.remainingPolls > 0) return true;
    return false;
  }

  /** True while the resource's own write operation is still running (provisioningState `Updating`). */
  isPending(record: { pendingOp?: string }): boolean {
    return record.pendingOp !== undefined && (this.operations.get(record.pendingOp)?.remainingPolls ?? 0) > 0;
  }
}
