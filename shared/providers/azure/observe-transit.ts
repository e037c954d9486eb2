import type { UnreadPartition } from '../../model';
import { type ArmClient, NETWORK_API_VERSION } from './connect';
import { ArmHubConnectionSchema, ArmHubRouteTableSchema, ArmVirtualHubSchema } from './transitArm';
import type { HubRead } from './transitModel';

/** The Virtual WAN hubs of one subscription, read; `unread` names the subscription when any list failed. */
export interface TransitRead {
  hubs: HubRead[];
  gaps: string[];
  unread: UnreadPartition[];
}

function parseEach<T>(
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

/**
 * One list of the subscription's hubs, then per hub (in parallel) its route tables and its VNet connections:
 * 1 + 2 × hubs reads. A failed or unreadable list is a gap and leaves the whole subscription unread (DESIGN §11).
 */
export async function readTransitSubscription(
  client: ArmClient,
  subscription: string,
  regions: ReadonlySet<string> | undefined,
  deadline: number,
): Promise<TransitRead> {
  const gaps: string[] = [];
  const where = `azure:${subscription}`;
  const list = await client.listAll(
    `/subscriptions/${subscription}/providers/Microsoft.Network/virtualHubs?api-version=${NETWORK_API_VERSION}`,
    deadline,
  );
  if (list.error)
    gaps.push(`${where}: listing virtual hubs failed after ${list.items.length} items: ${list.error.message}`);
  const hubs = parseEach(list.items, ArmVirtualHubSchema, `${where}: virtual hubs`, gaps).filter(
    (h) => !regions || regions.has(h.location.toLowerCase()),
  );
  const reads = await Promise.all(
    hubs.map(async (hub): Promise<HubRead> => {
      const [tables, connections] = await Promise.all([
        client.listAll(`${hub.id}/hubRouteTables?api-version=${NETWORK_API_VERSION}`, deadline),
        client.listAll(`${hub.id}/hubVirtualNetworkConnections?api-version=${NETWORK_API_VERSION}`, deadline),
      ]);
      if (tables.error) gaps.push(`${where}: listing route tables of hub ${hub.name} failed: ${tables.error.message}`);
      if (connections.error)
        gaps.push(`${where}: listing connections of hub ${hub.name} failed: ${connections.error.message}`);
      return {
        hub,
        tables: parseEach(tables.items, ArmHubRouteTableSchema, `${where}: hub route tables`, gaps),
        connections: parseEach(connections.items, ArmHubConnectionSchema, `${where}: hub connections`, gaps),
      };
    }),
  );
  return {
    hubs: reads,
    gaps,
    unread: gaps.map((reason) => ({ cloud: 'azure' as const, account: subscription, reason })),
  };
}
