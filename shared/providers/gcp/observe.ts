import { networkKey, type Account, type Network, type NetworkRef, type Observation } from '../../model';
import type { ComputeClient } from './client';
import {
  halfId,
  halvesOf,
  toNetwork,
  toPeerings,
  type GcpNetworkJson,
  type GcpRouteJson,
  type GcpSubnetworkJson,
  type PeeringHalfView,
} from './toModel';

interface ProjectJson {
  projectId?: string;
  name?: string;
  labels?: Record<string, string>;
}
interface NetworkList {
  items?: GcpNetworkJson[];
  nextPageToken?: string;
}
interface SubnetAggregatedList {
  items?: Record<string, { subnetworks?: GcpSubnetworkJson[] }>;
  nextPageToken?: string;
}
interface RouteList {
  items?: GcpRouteJson[];
  nextPageToken?: string;
}

/** What one project's reads produced. */
interface ProjectView {
  account: Account;
  networks: GcpNetworkJson[];
  subnets: GcpSubnetworkJson[];
  routes: GcpRouteJson[];
  gaps: string[];
  /** False when a Compute list failed: the project's networks are then left out entirely. */
  usable: boolean;
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function readProject(client: ComputeClient, project: string, deadline: number | undefined): Promise<ProjectView> {
  const [meta, networks, subnets, routes] = await Promise.allSettled([
    client.getResourceManager<ProjectJson>(`projects/${project}`, deadline),
    client.listAll<NetworkList, GcpNetworkJson>(`projects/${project}/global/networks`, (p) => p.items ?? [], deadline),
    client.listAll<SubnetAggregatedList, GcpSubnetworkJson>(
      `projects/${project}/aggregated/subnetworks`,
      (p) => Object.values(p.items ?? {}).flatMap((scoped) => scoped.subnetworks ?? []),
      deadline,
    ),
    client.listAll<RouteList, GcpRouteJson>(`projects/${project}/global/routes`, (p) => p.items ?? [], deadline),
  ]);
  const gaps: string[] = [];
  if (meta.status === 'rejected') gaps.push(`gcp:${project}: project labels unreadable: ${describe(meta.reason)}`);
  for (const [what, r] of [
    ['networks', networks],
    ['subnetworks', subnets],
    ['routes', routes],
  ] as const) {
    if (r.status === 'rejected') gaps.push(`gcp:${project}: ${what} list failed: ${describe(r.reason)}`);
  }
  const value = meta.status === 'fulfilled' ? meta.value : {};
  return {
    account: {
      cloud: 'gcp',
      account: project,
      ...(value.name ? { name: value.name } : {}),
      labels: value.labels ?? {},
    },
    networks: networks.status === 'fulfilled' ? networks.value : [],
    subnets: subnets.status === 'fulfilled' ? subnets.value : [],
    routes: routes.status === 'fulfilled' ? routes.value : [],
    gaps,
    usable: networks.status === 'fulfilled' && subnets.status === 'fulfilled' && routes.status === 'fulfilled',
  };
}

/** Runs `fn` over `items`, at most `limit` at a time (Compute's read quota is per project, but the function's sockets are not). */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Reads every network, subnet range, static route and peering half of the projects and normalizes
 * them. Never mutates. A project whose Compute lists fail contributes nothing but a gap (the
 * observation is then incomplete, so nothing is deleted on its strength).
 */
export async function observeProjects(
  client: ComputeClient,
  projects: readonly string[],
  opts: { concurrency?: number; deadline?: number } = {},
): Promise<Observation> {
  const views = await mapLimited([...new Set(projects)].sort(), opts.concurrency ?? 4, (p) =>
    readProject(client, p, opts.deadline),
  );
  const halves: PeeringHalfView[] = [];
  for (const v of views) if (v.usable) halves.push(...halvesOf(v.account.account, v.networks));
  const peerings = toPeerings(halves);
  const pairKey = (a: NetworkRef, b: NetworkRef): string => [networkKey(a), networkKey(b)].sort().join('|');
  const idByPair = new Map(peerings.map((p) => [pairKey(p.requester, p.accepter), p.id]));
  const idByHalf = new Map(
    halves.map((h) => [`${networkKey(h.owner)}|${h.json.name}`, idByPair.get(pairKey(h.owner, h.peer))!]),
  );
  const peeringIdOf = (owner: NetworkRef, name: string): string =>
    idByHalf.get(`${networkKey(owner)}|${name}`) ?? halfId(owner, name);
  const networks: Network[] = [];
  for (const v of views) {
    if (!v.usable) continue;
    for (const n of v.networks) networks.push(toNetwork(v.account.account, n, v.subnets, v.routes, peeringIdOf));
  }
  const gaps = views.flatMap((v) => v.gaps);
  const unread = views.flatMap((v) =>
    v.gaps.map((reason) => ({ cloud: 'gcp' as const, account: v.account.account, reason })),
  );
  return { complete: gaps.length === 0, gaps, unread, accounts: views.map((v) => v.account), networks, peerings };
}
