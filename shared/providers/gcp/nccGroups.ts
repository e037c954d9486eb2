import type { ComputeClient } from './client';
import { nccGet, nccMutate } from './nccClient';
import { hubNameOf, type NccGroupJson } from './nccModel';
import type { TransitHubRef } from '../../model';

/**
 * The projects whose spokes an NCC group accepts without review (`autoAccept.autoAcceptProjects`). Read and written
 * here for a later plan action; no action uses it yet.
 */
export async function readAutoAccept(
  client: ComputeClient,
  hub: TransitHubRef,
  group: string,
  deadline?: number,
): Promise<string[]> {
  const g = await nccGet<NccGroupJson>(client, `${hubNameOf(hub)}/groups/${group}`, deadline);
  return [...(g.autoAccept?.autoAcceptProjects ?? [])];
}

/** Replaces a group's auto-accept list (hubs.groups.patch, update mask `autoAccept.autoAcceptProjects`). */
export async function writeAutoAccept(
  client: ComputeClient,
  hub: TransitHubRef,
  group: string,
  projects: readonly string[],
  deadline: number,
): Promise<void> {
  await nccMutate(
    client,
    'PATCH',
    `${hubNameOf(hub)}/groups/${group}?updateMask=autoAccept.autoAcceptProjects`,
    { autoAccept: { autoAcceptProjects: [...projects] } },
    deadline,
  );
}
