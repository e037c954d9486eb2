import { randomUUID } from 'node:crypto';
import { ArmError, childNotFound, resourceNotFound } from './armError';
import { parseRange } from '../ranges';
import { networkResourceId } from './records';
import type { AzureEmulatorState } from './state';
import {
  hubConnectionId,
  hubRouteTableId,
  type HubConnectionRecord,
  type HubRouteRecord,
  type HubRouteTableRecord,
  type VirtualHubRecord,
  type VirtualWanRecord,
} from './wanRecords';

export interface CreateVirtualHubInput {
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  virtualWanId: string;
  addressPrefix: string;
  tags?: Record<string, string>;
  /** The hub's site-to-site VPN gateway, when it has one (an interconnect). */
  vpnGatewayId?: string;
  expressRouteGatewayId?: string;
}

/** What a connection PUT sets; absent routing falls back to Azure's defaults (defaultRouteTable, label `default`). */
export interface HubConnectionInput {
  remoteVnetId: string;
  associatedRouteTableId?: string;
  propagatedRouteTableIds?: string[];
  propagatedLabels?: string[];
  staticRoutes?: unknown[];
  enableInternetSecurity?: boolean;
  allowHubToRemoteVnetTransit?: boolean;
  allowRemoteVnetToUseHubVnetGateways?: boolean;
}

/** The route tables every hub is created with: associate/propagate to the default one, or to none. */
const BUILT_IN_TABLES: readonly [string, string][] = [
  ['defaultRouteTable', 'default'],
  ['noneRouteTable', 'none'],
];

/**
 * Virtual WANs, hubs, hub route tables and hub VNet connections, with the rules ARM enforces on them: a VNet
 * connects to one hub only (under one connection), route tables referenced by a connection must be the hub's own,
 * hub routes carry CIDR destinations. Overlapping ranges of two connected VNets are not refused (ARM does not).
 */
export class VirtualWanState {
  readonly wans = new Map<string, VirtualWanRecord>();
  readonly hubs = new Map<string, VirtualHubRecord>();

  constructor(private readonly state: AzureEmulatorState) {}

  createVirtualWan(input: {
    subscription: string;
    resourceGroup: string;
    name: string;
    location: string;
    tags?: Record<string, string>;
  }): VirtualWanRecord {
    this.state.ensureResourceGroup(input.subscription, input.resourceGroup, input.location);
    const id = networkResourceId(input.subscription, input.resourceGroup, 'virtualWans', input.name);
    const record = { ...input, id, tags: { ...input.tags }, resourceGuid: randomUUID() };
    this.wans.set(id.toLowerCase(), record);
    return record;
  }

  /** Creates a hub with its built-in route tables (defaultRouteTable, noneRouteTable). */
  createVirtualHub(input: CreateVirtualHubInput): VirtualHubRecord {
    if (!this.wans.has(input.virtualWanId.toLowerCase()))
      throw new ArmError(400, 'InvalidResourceReference', `Virtual WAN ${input.virtualWanId} not found.`);
    this.state.ensureResourceGroup(input.subscription, input.resourceGroup, input.location);
    const id = networkResourceId(input.subscription, input.resourceGroup, 'virtualHubs', input.name);
    const hub: VirtualHubRecord = {
      ...input,
      id,
      tags: { ...input.tags },
      routeTables: new Map(),
      connections: new Map(),
      resourceGuid: randomUUID(),
      visibleAt: 0,
    };
    for (const [name, label] of BUILT_IN_TABLES)
      hub.routeTables.set(name.toLowerCase(), { name, labels: [label], routes: [], visibleAt: 0 });
    this.hubs.set(id.toLowerCase(), hub);
    return hub;
  }

  hub(id: string): VirtualHubRecord | undefined {
    return this.hubs.get(id.toLowerCase());
  }

  requireHub(id: string): VirtualHubRecord {
    const hub = this.hub(id);
    if (!hub)
      throw resourceNotFound('Microsoft.Network/virtualHubs', id.split('/').pop() ?? id, id.split('/')[4] ?? '');
    return hub;
  }

  /** Creates or replaces a hub route table: its static routes and labels (PUT semantics). */
  putRouteTable(
    hubId: string,
    name: string,
    input: { routes: HubRouteRecord[]; labels: string[] },
    visibleAt = 0,
  ): { record: HubRouteTableRecord; created: boolean } {
    const hub = this.requireHub(hubId);
    for (const route of input.routes) {
      if (route.destinationType !== 'CIDR' || route.nextHopType !== 'ResourceId')
        throw new ArmError(
          400,
          'InvalidRequestFormat',
          `Hub route ${route.name}: the emulator supports destinationType CIDR with nextHopType ResourceId only.`,
        );
      const bad = route.destinations.find((d) => !parseRange(d));
      if (bad || route.destinations.length === 0 || !route.nextHop)
        throw new ArmError(
          400,
          'InvalidRequestFormat',
          `Hub route ${route.name} needs CIDR destinations and a nextHop${bad ? `: ${bad} is not a CIDR` : ''}.`,
        );
    }
    const key = name.toLowerCase();
    const existing = hub.routeTables.get(key);
    const record: HubRouteTableRecord = {
      name: existing?.name ?? name,
      labels: [...input.labels],
      routes: input.routes.map((r) => ({ ...r, destinations: [...r.destinations] })),
      visibleAt: existing?.visibleAt ?? visibleAt,
    };
    hub.routeTables.set(key, record);
    return { record, created: !existing };
  }

  /** Adds one static CIDR route to a hub route table (what the portal's "Add route" does). */
  addStaticRoute(hubId: string, tableName: string, route: { name: string; destinations: string[]; nextHop: string }) {
    const hub = this.requireHub(hubId);
    const table = hub.routeTables.get(tableName.toLowerCase());
    if (!table) throw childNotFound(hubRouteTableId(hub, tableName));
    const routes = [
      ...table.routes.filter((r) => r.name.toLowerCase() !== route.name.toLowerCase()),
      { ...route, destinationType: 'CIDR', nextHopType: 'ResourceId' },
    ];
    return this.putRouteTable(hub.id, table.name, { routes, labels: table.labels }).record;
  }

  /** The route table of `hub` an id names, or ARM's refusal of a reference outside the hub. */
  private ownTable(hub: VirtualHubRecord, id: string): HubRouteTableRecord {
    const prefix = `${hub.id}/hubRouteTables/`.toLowerCase();
    const table = id.toLowerCase().startsWith(prefix)
      ? hub.routeTables.get(id.slice(prefix.length).toLowerCase())
      : undefined;
    if (!table)
      throw new ArmError(400, 'InvalidResourceReference', `Route table ${id} is not a route table of hub ${hub.id}.`);
    return table;
  }

  /** The connection (on any hub) that already attaches `vnetId`, if any. */
  connectionOf(vnetId: string): { hub: VirtualHubRecord; connection: HubConnectionRecord } | undefined {
    for (const hub of this.hubs.values())
      for (const connection of hub.connections.values())
        if (connection.remoteVnetId.toLowerCase() === vnetId.toLowerCase()) return { hub, connection };
    return undefined;
  }

  /** Creates or replaces a connection (PUT semantics), enforcing ARM's references and the one-hub-per-VNet rule. */
  putConnection(
    hubId: string,
    name: string,
    input: HubConnectionInput,
    visibleAt = 0,
  ): { record: HubConnectionRecord; created: boolean } {
    const hub = this.requireHub(hubId);
    const vnet = this.state.vnet(input.remoteVnetId);
    if (!vnet)
      throw new ArmError(
        400,
        'InvalidResourceReference',
        `Remote Virtual Network ${input.remoteVnetId} not found for hub VNET connection ${name}.`,
      );
    const existing = hub.connections.get(name.toLowerCase());
    if (existing && existing.remoteVnetId.toLowerCase() !== vnet.id.toLowerCase())
      throw new ArmError(
        400,
        'InvalidRequestFormat',
        `Connection ${name} attaches ${existing.remoteVnetId}: its remote virtual network cannot change.`,
      );
    const other = this.connectionOf(vnet.id);
    if (other && other.connection !== existing) {
      // Azure refuses a second connection of one VNet (to this hub or another); the code is the emulator's wording.
      throw new ArmError(
        400,
        'VirtualNetworkAlreadyConnectedToHub',
        `Virtual network ${vnet.id} is already connected to hub ${other.hub.id} by connection ${hubConnectionId(other.hub, other.connection.name)}; a virtual network can connect to one hub only.`,
      );
    }
    const defaultTable = hubRouteTableId(hub, 'defaultRouteTable');
    const associated = this.ownTable(hub, input.associatedRouteTableId ?? defaultTable);
    const propagated = (input.propagatedRouteTableIds ?? [defaultTable]).map((id) => this.ownTable(hub, id));
    const record: HubConnectionRecord = {
      name: existing?.name ?? name,
      remoteVnetId: vnet.id,
      associatedRouteTableId: hubRouteTableId(hub, associated.name),
      propagatedRouteTableIds: propagated.map((t) => hubRouteTableId(hub, t.name)),
      propagatedLabels: [...(input.propagatedLabels ?? ['default'])],
      staticRoutes: [...(input.staticRoutes ?? [])],
      enableInternetSecurity: input.enableInternetSecurity ?? true,
      allowHubToRemoteVnetTransit: input.allowHubToRemoteVnetTransit ?? true,
      allowRemoteVnetToUseHubVnetGateways: input.allowRemoteVnetToUseHubVnetGateways ?? true,
      resourceGuid: existing?.resourceGuid ?? randomUUID(),
      visibleAt: existing?.visibleAt ?? visibleAt,
    };
    hub.connections.set(name.toLowerCase(), record);
    return { record, created: !existing };
  }

  deleteConnection(hubId: string, name: string): boolean {
    return this.hub(hubId)?.connections.delete(name.toLowerCase()) ?? false;
  }

  /** Connections associated with a route table (ARM's read-only `associatedConnections`). */
  associatedConnections(hub: VirtualHubRecord, table: HubRouteTableRecord): string[] {
    const id = hubRouteTableId(hub, table.name).toLowerCase();
    return [...hub.connections.values()]
      .filter((c) => c.associatedRouteTableId.toLowerCase() === id)
      .map((c) => hubConnectionId(hub, c.name));
  }

  /** Connections propagating into a route table, by id or by one of its labels (`propagatingConnections`). */
  propagatingConnections(hub: VirtualHubRecord, table: HubRouteTableRecord): string[] {
    const id = hubRouteTableId(hub, table.name).toLowerCase();
    const labels = new Set(table.labels.map((l) => l.toLowerCase()));
    return [...hub.connections.values()]
      .filter(
        (c) =>
          c.propagatedRouteTableIds.some((p) => p.toLowerCase() === id) ||
          c.propagatedLabels.some((l) => labels.has(l.toLowerCase())),
      )
      .map((c) => hubConnectionId(hub, c.name));
  }
}
