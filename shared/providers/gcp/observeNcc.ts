import type { Attachment, Observation, TransitHub, UnreadPartition } from '../../model';
import type { ComputeClient } from './client';
import { isServiceDisabled, nccList } from './nccClient';
import { ProjectIds } from './nccProjectIds';
import {
  shortName,
  toAttachment,
  toTransitHub,
  type NccGroupJson,
  type NccHubJson,
  type NccRouteJson,
  type NccSpokeJson,
} from './nccModel';

interface Page {
  nextPageToken?: string;
}
type HubPage = Page & { hubs?: NccHubJson[] };
type GroupPage = Page & { groups?: NccGroupJson[] };
type RoutePage = Page & { routes?: NccRouteJson[] };
type SpokePage = Page & { spokes?: NccSpokeJson[] };

/** What one project holds of Network Connectivity Center. */
interface ProjectNcc {
  hubs: TransitHub[];
  attachments: Attachment[];
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * VPC spokes in the DETAILED view (every field but labels, so the hub's owner sees spokes of other projects without
 * their labels); SpokeView allows DETAILED only with `spokeLocations` [global], where VPC spokes live.
 */
export const VPC_SPOKES = 'listSpokes?view=DETAILED&spokeLocations=global';

/**
 * A hub with its groups, each group's route table routes, its VPC spokes (DETAILED) and every spoke in the BASIC
 * view (regional hybrid spokes are the hub's interconnects).
 */
async function readHub(
  client: ComputeClient,
  ids: ProjectIds,
  hub: NccHubJson,
  deadline: number | undefined,
): Promise<{ hub: TransitHub; spokes: NccSpokeJson[] }> {
  const [groups, spokes, everywhere] = await ids.rewrite(
    await Promise.all([
      nccList<GroupPage, NccGroupJson>(client, `${hub.name}/groups`, (p) => p.groups ?? [], deadline),
      nccList<SpokePage, NccSpokeJson>(client, `${hub.name}:${VPC_SPOKES}`, (p) => p.spokes ?? [], deadline),
      nccList<SpokePage, NccSpokeJson>(client, `${hub.name}:listSpokes`, (p) => p.spokes ?? [], deadline),
    ]),
    deadline,
  );
  const withRoutes = await Promise.all(
    groups.map(async (group) => ({
      group,
      routes: await ids.rewrite(
        await nccList<RoutePage, NccRouteJson>(
          client,
          `${hub.name}/routeTables/${shortName(group.routeTable ?? group.name)}/routes`,
          (p) => p.routes ?? [],
          deadline,
        ),
        deadline,
      ),
    })),
  );
  return { hub: toTransitHub(hub, withRoutes, everywhere), spokes };
}

/**
 * The hubs a project owns (with every spoke attached to them, from any project) and the spokes the project itself
 * made (with their labels, to hubs anywhere). A project where the API is not enabled holds neither.
 */
async function readProject(
  client: ComputeClient,
  ids: ProjectIds,
  project: string,
  deadline: number | undefined,
): Promise<ProjectNcc> {
  const parent = `projects/${project}/locations/global`;
  let hubs: NccHubJson[];
  let own: NccSpokeJson[];
  try {
    [hubs, own] = await Promise.all([
      nccList<HubPage, NccHubJson>(client, `${parent}/hubs`, (p) => p.hubs ?? [], deadline),
      nccList<SpokePage, NccSpokeJson>(client, `${parent}/spokes`, (p) => p.spokes ?? [], deadline),
    ]);
  } catch (e) {
    if (isServiceDisabled(e)) return { hubs: [], attachments: [] };
    throw e;
  }
  [hubs, own] = await ids.rewrite([hubs, own] as const, deadline);
  const read = await Promise.all(hubs.map((h) => readHub(client, ids, h, deadline)));
  // The project's own view of a spoke carries its labels; the hub's view does not: the own view wins.
  const byId = new Map<string, Attachment>();
  for (const s of [...read.flatMap((r) => r.spokes), ...own]) {
    const a = toAttachment(s);
    if (a) byId.set(a.id, { ...a, tags: { ...byId.get(a.id)?.tags, ...a.tags } });
  }
  return { hubs: read.map((r) => r.hub), attachments: [...byId.values()] };
}

/**
 * Reads Network Connectivity Center in the projects: hubs, their groups (route tables), routes, hybrid spokes
 * (interconnects) and VPC spokes (attachments), names spelled with project ids. A project whose reads fail contributes
 * nothing but an unread partition. Never mutates.
 */
export async function observeNcc(
  client: ComputeClient,
  projects: readonly string[],
  opts: { concurrency?: number; deadline?: number } = {},
): Promise<Observation> {
  const list = [...new Set(projects)].sort();
  const hubs: TransitHub[] = [];
  // The hub's project and the spoke's project each see a spoke; the spoke project's view adds its labels.
  const attachments = new Map<string, Attachment>();
  const unread: UnreadPartition[] = [];
  const ids = new ProjectIds(client);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const project = list[next++]!;
      try {
        const r = await readProject(client, ids, project, opts.deadline);
        hubs.push(...r.hubs);
        for (const a of r.attachments)
          attachments.set(a.id, {
            ...attachments.get(a.id),
            ...a,
            tags: { ...attachments.get(a.id)?.tags, ...a.tags },
          });
      } catch (e) {
        unread.push({ cloud: 'gcp', account: project, reason: `gcp:${project}: NCC read failed: ${describe(e)}` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, list.length) }, worker));
  return {
    complete: unread.length === 0,
    gaps: unread.map((u) => u.reason),
    unread,
    accounts: [],
    networks: [],
    peerings: [],
    ...(hubs.length ? { transitHubs: hubs.sort((a, b) => (a.ref.id < b.ref.id ? -1 : 1)) } : {}),
    ...(attachments.size ? { attachments: [...attachments.values()].sort((a, b) => (a.id < b.id ? -1 : 1)) } : {}),
  };
}
