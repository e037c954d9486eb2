/** Virtual WAN ARM JSON → transit hubs and attachments. Pure: the observe step does the reads. */
import {
  type Attachment,
  type AttachmentRouting,
  type AttachmentState,
  type Interconnect,
  MANAGED_TAG,
  type NetworkRef,
  type TransitHub,
  type TransitHubRef,
  type TransitRoute,
} from '../../model';
import { nameOf, remoteRef, subscriptionOf } from './toModel';
import {
  type ArmHubConnection,
  type ArmHubRouteTable,
  type ArmVirtualHub,
  hubRouteTableName,
  isManagedConnection,
} from './transitArm';

/** One hub as read: the hub, its route tables and its VNet connections. */
export interface HubRead {
  hub: ArmVirtualHub;
  tables: ArmHubRouteTable[];
  connections: ArmHubConnection[];
}

/** What the observation knows of a VNet: its ref and its ranges (propagated routes carry them). */
export interface KnownVnet {
  ref: NetworkRef;
  cidrs: readonly string[];
}

export function transitHubRef(hub: Pick<ArmVirtualHub, 'id' | 'location'>): TransitHubRef {
  return {
    cloud: 'azure',
    account: subscriptionOf(hub.id) ?? 'unknown',
    region: hub.location.toLowerCase(),
    id: hub.id.toLowerCase(),
  };
}

/** Succeeded → active; Updating/Creating/Deleting → pending; Failed → failed. */
export function attachmentState(provisioningState: string | undefined): AttachmentState {
  switch ((provisioningState ?? 'Succeeded').toLowerCase()) {
    case 'succeeded':
      return 'active';
    case 'failed':
      return 'failed';
    default:
      return 'pending';
  }
}

/** A connection's routing in model terms: route tables by name, labels when it has any. */
export function connectionRouting(connection: ArmHubConnection): AttachmentRouting {
  const routing = connection.properties.routingConfiguration;
  const associated = routing?.associatedRouteTable?.id;
  const labels = routing?.propagatedRouteTables?.labels ?? [];
  return {
    ...(associated ? { association: hubRouteTableName(associated) } : {}),
    propagations: (routing?.propagatedRouteTables?.ids ?? []).map((t) => hubRouteTableName(t.id)),
    ...(labels.length > 0 ? { labels: [...labels] } : {}),
  };
}

function interconnects(hub: ArmVirtualHub): Interconnect[] {
  const out: Interconnect[] = [];
  const { vpnGateway, expressRouteGateway } = hub.properties;
  if (vpnGateway)
    out.push({ id: vpnGateway.id.toLowerCase(), kind: 'vpn', name: nameOf(vpnGateway.id), state: 'active' });
  if (expressRouteGateway)
    out.push({
      id: expressRouteGateway.id.toLowerCase(),
      kind: 'expressroute',
      name: nameOf(expressRouteGateway.id),
      state: 'active',
    });
  return out;
}

/**
 * The routes of one hub route table. Static routes are the table's own `routes` (nextHop a connection → the
 * attachment, anything else → other). Propagated routes are derived, not read: ARM lists a table's
 * `propagatingConnections`, and each of those connections' VNet ranges (as observed) is a learned route. The
 * effective-routes API (an LRO per table) would say the same at a far higher read cost; a VNet outside the
 * observed subscriptions contributes no propagated route.
 */
function tableRoutes(
  table: ArmHubRouteTable,
  connectionVnets: ReadonlyMap<string, string>,
  vnets: ReadonlyMap<string, KnownVnet>,
): TransitRoute[] {
  const routes: TransitRoute[] = [];
  for (const route of table.properties.routes) {
    const hop = route.nextHop.toLowerCase();
    const target: TransitRoute['target'] = connectionVnets.has(hop)
      ? { kind: 'attachment', attachmentId: hop }
      : { kind: 'other', id: route.nextHop };
    for (const destination of route.destinations)
      routes.push({ destination, target, origin: 'static', state: 'active' });
  }
  for (const connectionId of table.properties.propagatingConnections) {
    const vnetId = connectionVnets.get(connectionId.toLowerCase());
    const vnet = vnetId === undefined ? undefined : vnets.get(vnetId);
    for (const destination of vnet?.cidrs ?? [])
      routes.push({
        destination,
        target: { kind: 'attachment', attachmentId: connectionId.toLowerCase() },
        origin: 'propagated',
        state: 'active',
      });
  }
  return routes;
}

/** Transit hubs and attachments of the hubs read; `vnets` maps lower-cased VNet ids to what was observed. */
export function toTransit(
  reads: readonly HubRead[],
  vnets: ReadonlyMap<string, KnownVnet>,
): { transitHubs: TransitHub[]; attachments: Attachment[] } {
  const known = new Map([...vnets].map(([id, v]) => [id, v.ref]));
  const transitHubs: TransitHub[] = [];
  const attachments: Attachment[] = [];
  for (const { hub, tables, connections } of reads) {
    const ref = transitHubRef(hub);
    const connectionVnets = new Map(
      connections.map((c) => [c.id.toLowerCase(), c.properties.remoteVirtualNetwork.id.toLowerCase()]),
    );
    transitHubs.push({
      ref,
      name: hub.name,
      tags: { ...hub.tags },
      routeTables: tables.map((t) => ({
        id: t.name,
        name: t.name,
        tags: {},
        routes: tableRoutes(t, connectionVnets, vnets),
      })),
      interconnects: interconnects(hub),
    });
    for (const connection of connections) {
      const state = attachmentState(connection.properties.provisioningState);
      attachments.push({
        id: connection.id.toLowerCase(),
        cloud: 'azure',
        hub: ref,
        network: remoteRef(connection.properties.remoteVirtualNetwork.id, known),
        state,
        ...connectionRouting(connection),
        tags: isManagedConnection(connection) ? { [MANAGED_TAG]: 'true' } : {},
        ...(state === 'pending' ? { message: `provisioningState ${connection.properties.provisioningState}` } : {}),
      });
    }
  }
  return { transitHubs, attachments };
}
