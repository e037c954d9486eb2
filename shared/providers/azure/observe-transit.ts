import type { Network, Observation, UnreadPartition } from '../../model';
import { type ArmClient, NETWORK_API_VERSION } from './connect';
import { ArmVnetSchema, parseAll, subscriptionOf, vnetRef } from './toModel';
import { ArmHubConnectionSchema, ArmHubRouteTableSchema, ArmVirtualHubSchema } from './transitArm';
import { type HubRead, type KnownVnet, toTransit } from './transitModel';

/** The Virtual WAN hubs of one subscription, read; `unread` names the subscription when any list failed. */
export interface TransitRead {
  hubs: HubRead[];
  gaps: string[];
  unread: UnreadPartition[];
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
  const hubs = parseAll(list.items, ArmVirtualHubSchema, `${where}: virtual hubs`, gaps).filter(
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
        tables: parseAll(tables.items, ArmHubRouteTableSchema, `${where}: hub route tables`, gaps),
        connections: parseAll(connections.items, ArmHubConnectionSchema, `${where}: hub connections`, gaps),
      };
    }),
  );
  return {
    hubs: reads,
    gaps,
    unread: gaps.map((reason) => ({ cloud: 'azure' as const, account: subscription, reason })),
  };
}

/** How many VNets outside the read are fetched at once (ARM reads are throttled per subscription). */
const VNET_READS_AT_ONCE = 16;

/**
 * Transit hubs and attachments of the hubs read. A hub route table's learned routes are its propagating connections'
 * VNet ranges, so every attached VNet's ranges must be known, whichever subscription it lives in: a scoped read sees
 * only some of them, and an overlap guard that missed one would attach a clashing spoke. VNets outside the read are
 * fetched one by one; a VNet that cannot be read leaves the hub's subscription unread (its decisions are held).
 */
export async function transitOf(
  client: ArmClient,
  reads: readonly TransitRead[],
  observed: readonly Network[],
  deadline: number,
): Promise<{ transit: Pick<Observation, 'transitHubs' | 'attachments'>; gaps: string[]; unread: UnreadPartition[] }> {
  const vnets = new Map<string, KnownVnet>(observed.map((n) => [n.ref.id, { ref: n.ref, cidrs: n.cidrs }]));
  const hubs = reads.flatMap((r) => r.hubs);
  const missing = new Map<string, { vnetId: string; hub: HubRead['hub'] }>();
  for (const { hub, connections } of hubs)
    for (const c of connections) {
      const vnetId = c.properties.remoteVirtualNetwork.id;
      if (!vnets.has(vnetId.toLowerCase())) missing.set(vnetId.toLowerCase(), { vnetId, hub });
    }
  const gaps: string[] = [];
  const unread: UnreadPartition[] = [];
  const pending = [...missing.values()];
  for (let at = 0; at < pending.length; at += VNET_READS_AT_ONCE) {
    await Promise.all(
      pending.slice(at, at + VNET_READS_AT_ONCE).map(async ({ vnetId, hub }) => {
        let failure: string;
        try {
          const parsed = ArmVnetSchema.safeParse(
            await client.getOptional(`${vnetId}?api-version=${NETWORK_API_VERSION}`, deadline),
          );
          if (parsed.success) {
            const ref = vnetRef(parsed.data);
            vnets.set(ref.id, { ref, cidrs: parsed.data.properties.addressSpace?.addressPrefixes ?? [] });
            return;
          }
          failure = 'not found or unreadable';
        } catch (error) {
          failure = error instanceof Error ? error.message : String(error);
        }
        const reason = `azure:${subscriptionOf(hub.id)}: ranges of ${vnetId}, connected to hub ${hub.name}, unknown: ${failure}`;
        gaps.push(reason);
        unread.push({ cloud: 'azure', account: subscriptionOf(hub.id) ?? 'unknown', reason });
      }),
    );
  }
  return { transit: toTransit(hubs, vnets), gaps, unread };
}
