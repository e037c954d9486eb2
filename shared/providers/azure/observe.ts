import type { Account, Network, NetworkRef, Observation, RouteTable, UnreadPartition } from '../../model';
import type { Partition } from '../port';
import { type ArmClient, NETWORK_API_VERSION, SUBSCRIPTIONS_API_VERSION } from './connect';
import { readTransitSubscription, transitOf } from './observe-transit';
import {
  type ArmRouteTable,
  ArmRouteTableSchema,
  type ArmVnet,
  ArmVnetSchema,
  joinHalves,
  type ObservedHalf,
  toNetwork,
  toRouteTable,
  vnetOfSubnet,
  vnetRef,
  parseAll,
} from './toModel';

/** Observation must finish inside one function run; 2 minutes leaves room under a 5-minute timeout. */
const OBSERVE_BUDGET_MS = 120_000;

interface SubscriptionRead {
  subscription: string;
  regions: Set<string> | undefined;
  vnets: ArmVnet[];
  tables: ArmRouteTable[];
  unread: UnreadPartition[];
}

async function readSubscription(
  client: ArmClient,
  subscription: string,
  regions: Set<string> | undefined,
  deadline: number,
  gaps: string[],
): Promise<SubscriptionRead> {
  const base = `/subscriptions/${subscription}/providers/Microsoft.Network`;
  const [vnetList, tableList] = await Promise.all([
    client.listAll(`${base}/virtualNetworks?api-version=${NETWORK_API_VERSION}`, deadline),
    client.listAll(`${base}/routeTables?api-version=${NETWORK_API_VERSION}`, deadline),
  ]);
  const before = gaps.length;
  if (vnetList.error)
    gaps.push(
      `azure:${subscription}: listing virtual networks failed after ${vnetList.items.length} items: ${vnetList.error.message}`,
    );
  if (tableList.error)
    gaps.push(
      `azure:${subscription}: listing route tables failed after ${tableList.items.length} items: ${tableList.error.message}`,
    );
  const vnets = parseAll(vnetList.items, ArmVnetSchema, `azure:${subscription}: virtual networks`, gaps).filter(
    (v) => !regions || regions.has(v.location.toLowerCase()),
  );
  const tables = parseAll(tableList.items, ArmRouteTableSchema, `azure:${subscription}: route tables`, gaps);
  // Gaps are per subscription: the planner holds only what depends on this one (DESIGN §11).
  const unread = gaps.slice(before).map((reason) => ({ cloud: 'azure' as const, account: subscription, reason }));
  return { subscription, regions, vnets, tables, unread };
}

async function readAccounts(
  client: ArmClient,
  subscriptions: Set<string>,
  deadline: number,
  gaps: string[],
): Promise<Account[]> {
  const list = await client.listAll(`/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`, deadline);
  if (list.error) gaps.push(`azure: listing subscriptions failed: ${list.error.message}`);
  const accounts: Account[] = [];
  for (const item of list.items) {
    const sub = item as { subscriptionId?: unknown; displayName?: unknown; tags?: unknown };
    if (typeof sub.subscriptionId !== 'string' || !subscriptions.has(sub.subscriptionId.toLowerCase())) continue;
    const tags =
      sub.tags !== null && typeof sub.tags === 'object'
        ? Object.entries(sub.tags).filter((e): e is [string, string] => typeof e[1] === 'string')
        : [];
    accounts.push({
      cloud: 'azure',
      account: sub.subscriptionId.toLowerCase(),
      labels: Object.fromEntries(tags),
      ...(typeof sub.displayName === 'string' ? { name: sub.displayName } : {}),
    });
  }
  return accounts;
}

/**
 * Reads the VNets (peering halves come embedded), route tables and subscription names of the
 * partitions. A failed list becomes a gap line and marks the observation incomplete; it never throws
 * for one partition. A route table belongs to the VNet(s) of the subnets it is associated with;
 * unassociated tables are skipped.
 */
export async function observeAzure(
  client: ArmClient,
  partitions: readonly Partition[],
  transitSubscriptions: ReadonlySet<string> = new Set(),
): Promise<Observation> {
  const deadline = client.clock() + OBSERVE_BUDGET_MS;
  const gaps: string[] = [];
  const wanted = new Map<string, Set<string> | undefined>();
  for (const p of partitions) {
    if (p.cloud !== 'azure') continue;
    const sub = p.account.toLowerCase();
    const regions = wanted.has(sub) ? wanted.get(sub) : new Set<string>();
    // A partition without a region asks for every region of the subscription.
    wanted.set(
      sub,
      p.region === undefined || regions === undefined ? undefined : new Set([...regions, p.region.toLowerCase()]),
    );
  }
  // Virtual WAN hubs are listed only where the policy declares one: other subscriptions pay no extra read.
  const transitReads = Promise.all(
    [...wanted]
      .filter(([sub]) => transitSubscriptions.has(sub))
      .map(([sub, regions]) => readTransitSubscription(client, sub, regions, deadline)),
  );
  const [accounts, ...reads] = await Promise.all([
    readAccounts(client, new Set(wanted.keys()), deadline, gaps),
    ...[...wanted].map(([sub, regions]) => readSubscription(client, sub, regions, deadline, gaps)),
  ]);
  const transit = await transitReads;
  for (const read of transit) gaps.push(...read.gaps);

  const known = new Map<string, NetworkRef>();
  for (const read of reads) for (const vnet of read.vnets) known.set(vnet.id.toLowerCase(), vnetRef(vnet));
  const tablesByVnet = new Map<string, RouteTable[]>();
  for (const read of reads) {
    for (const table of read.tables) {
      const vnetIds = new Set(table.properties.subnets.map((s) => vnetOfSubnet(s.id).toLowerCase()));
      for (const vnetId of vnetIds) {
        const ref = known.get(vnetId);
        if (ref) tablesByVnet.set(vnetId, [...(tablesByVnet.get(vnetId) ?? []), toRouteTable(table, ref)]);
      }
    }
  }
  // Without the subscription list, account labels (which groups may select on) are unknown everywhere.
  const unread: UnreadPartition[] = [
    ...gaps
      .filter((g) => g.startsWith('azure: listing subscriptions'))
      .map((reason) => ({ cloud: 'azure' as const, account: '*', reason })),
    ...reads.flatMap((r) => r.unread),
    ...transit.flatMap((r) => r.unread),
  ];
  const networks: Network[] = [];
  const halves: ObservedHalf[] = [];
  for (const read of reads) {
    for (const vnet of read.vnets) {
      const ref = known.get(vnet.id.toLowerCase())!;
      networks.push(toNetwork(vnet, tablesByVnet.get(ref.id) ?? []));
      for (const half of vnet.properties.virtualNetworkPeerings) halves.push({ local: ref, half });
    }
  }
  networks.sort((a, b) => (a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0));
  const hubs = transit.length === 0 ? undefined : await transitOf(client, transit, networks, deadline);
  gaps.push(...(hubs?.gaps ?? []));
  unread.push(...(hubs?.unread ?? []));
  return {
    complete: gaps.length === 0,
    gaps,
    unread,
    accounts,
    networks,
    peerings: joinHalves(halves, known),
    ...hubs?.transit,
  };
}
