import { RetryableError, TerminalError } from '../../errors';
import { MANAGED_TAG, networkKey, type ActionOf, type AttachmentAction, type AttachmentHandle } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { ComputeClient } from './client';
import { isNotFound } from './errors';
import { nccGet, nccList, nccMutate } from './nccClient';
import { ProjectIds } from './nccProjectIds';
import { VPC_SPOKES } from './observeNcc';
import { hubNameOf, labelsFromTags, managedSpokeId, shortName, spokeNetwork, type NccSpokeJson } from './nccModel';
import { updateSpokeRouting } from './applySpokeRouting';
import { networkUrl } from './toModel';
import { converged, done, skipped } from './apply-outcomes';

/** True when the spoke carries peerkeeper's managed label. */
export const isManagedSpoke = (s: NccSpokeJson): boolean => s.labels?.['peerkeeper-managed'] === 'true';

const sameNetwork = (s: NccSpokeJson, h: AttachmentHandle): boolean => {
  const n = spokeNetwork(s);
  return n !== undefined && networkKey(n) === networkKey(h.network);
};

/**
 * NCC VPC spokes (issue 17). A spoke lives in its network's project and names the hub; a spoke from another project
 * waits for the hub's owner (PENDING_REVIEW) unless its group auto-accepts the project. Accept and reject are the hub
 * owner's calls; update and delete are the spoke project's, and only on spokes carrying peerkeeper's label.
 */
export async function applyGcpAttachment(
  client: ComputeClient,
  action: AttachmentAction,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  switch (action.action) {
    case 'create-attachment':
      return createSpoke(client, action, ctx);
    case 'accept-attachment':
      return decideSpoke(client, action, ctx, 'accept');
    case 'reject-attachment':
      return decideSpoke(client, action, ctx, 'reject');
    case 'update-attachment':
      return updateSpokeRouting(client, action, ctx, await ownSpoke(client, action, ctx));
    case 'delete-attachment':
      return deleteSpoke(client, action, ctx);
  }
}

/** The spokes the network's project made (VPC spokes are global). */
async function projectSpokes(client: ComputeClient, project: string, deadline: number): Promise<NccSpokeJson[]> {
  const spokes = await nccList<{ spokes?: NccSpokeJson[]; nextPageToken?: string }, NccSpokeJson>(
    client,
    `projects/${project}/locations/global/spokes`,
    (p) => p.spokes ?? [],
    deadline,
  );
  return new ProjectIds(client).rewrite(spokes, deadline);
}

/**
 * The spoke already linking the network, if any. A VPC network links to one hub through one spoke: ours on this hub
 * is convergence; anyone else's, or one to another hub, is a conflict a person must settle.
 */
async function existingLink(
  client: ComputeClient,
  action: ActionOf<'create-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome | undefined> {
  const hub = hubNameOf(action.target.hub);
  const found = (await projectSpokes(client, action.target.network.account, ctx.deadline)).find((s) =>
    sameNetwork(s, action.target),
  );
  if (!found) return undefined;
  // A spoke on its way out still holds the network: try again once it is gone.
  if (found.state === 'DELETING')
    throw new RetryableError(`spoke ${found.name} linking ${action.target.network.id} is being deleted`, {
      code: 'SPOKE_DELETING',
    });
  if (found.hub !== hub)
    throw new TerminalError(
      `${networkUrl(action.target.network)} is already linked to hub ${found.hub} by spoke ${found.name}`,
      {
        code: 'SPOKE_CONFLICT',
      },
    );
  if (!isManagedSpoke(found))
    throw new TerminalError(
      `spoke ${found.name} (not peerkeeper's) already links ${action.target.network.id} to ${hub}`,
      {
        code: 'SPOKE_CONFLICT',
      },
    );
  return converged(`spoke ${found.name} already links ${action.target.network.id} to ${hub}`, found.name);
}

async function createSpoke(
  client: ComputeClient,
  action: ActionOf<'create-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const seen = await existingLink(client, action, ctx);
  if (seen) return seen;
  const { network } = action.target;
  const hub = hubNameOf(action.target.hub);
  const id = managedSpokeId(network);
  const { routing } = action.after;
  const exclude = routing.exportFilters?.exclude ?? [];
  const include = routing.exportFilters?.include ?? [];
  const body = {
    hub,
    ...(routing.association ? { group: `${hub}/groups/${routing.association}` } : {}),
    linkedVpcNetwork: {
      uri: networkUrl(network),
      ...(exclude.length ? { excludeExportRanges: exclude } : {}),
      ...(include.length ? { includeExportRanges: include } : {}),
    },
    labels: labelsFromTags({ ...action.after.tags, [MANAGED_TAG]: 'true' }),
  };
  const name = `projects/${network.account}/locations/global/spokes/${id}`;
  try {
    await nccMutate(
      client,
      'POST',
      `projects/${network.account}/locations/global/spokes?spokeId=${id}`,
      body,
      ctx.deadline,
    );
  } catch (e) {
    // Someone (or an earlier try of ours) linked the network meanwhile: converge on it, or say whose it is.
    if (e instanceof TerminalError && e.code === 'ALREADY_EXISTS') {
      const seenNow = await existingLink(client, action, ctx);
      if (seenNow) return seenNow;
    }
    throw e;
  }
  return done(`created spoke ${name} linking ${network.id} to ${hub}`, name);
}

/** The hub's view of the spoke an action names: by id, else by its network. */
async function hubSpoke(
  client: ComputeClient,
  target: AttachmentHandle,
  ctx: ApplyContext,
): Promise<NccSpokeJson | undefined> {
  const hub = hubNameOf(target.hub);
  const id = target.id ?? ctx.resolvePeeringId(networkKey(target.network), networkKey(target.hub));
  const listed = await nccList<{ spokes?: NccSpokeJson[]; nextPageToken?: string }, NccSpokeJson>(
    client,
    `${hub}:${VPC_SPOKES}`,
    (p) => p.spokes ?? [],
    ctx.deadline,
  );
  const spokes = await new ProjectIds(client).rewrite(listed, ctx.deadline);
  return spokes.find((s) => (id ? s.name === id : sameNetwork(s, target)));
}

/** acceptSpoke / rejectSpoke, by the hub's owner, on a spoke waiting for review (reject also ends an active one). */
async function decideSpoke(
  client: ComputeClient,
  action: ActionOf<'accept-attachment' | 'reject-attachment'>,
  ctx: ApplyContext,
  decision: 'accept' | 'reject',
): Promise<ApplyOutcome> {
  const hub = hubNameOf(action.target.hub);
  const spoke = await hubSpoke(client, action.target, ctx);
  const rejected = spoke?.reasons?.some((r) => r.code === 'REJECTED') ?? false;
  if (!spoke)
    return decision === 'accept'
      ? skipped(`no spoke of ${action.target.network.id} on ${hub} to accept`)
      : converged(`no spoke of ${action.target.network.id} on ${hub} left`);
  if (decision === 'accept' && (spoke.state === 'ACTIVE' || spoke.state === 'ACCEPTING'))
    return converged(`spoke ${spoke.name} is ${spoke.state} on ${hub}`, spoke.name);
  if (decision === 'reject' && ((spoke.state === 'INACTIVE' && rejected) || spoke.state === 'REJECTING'))
    return converged(`spoke ${spoke.name} is already rejected`);
  if (spoke.state !== 'INACTIVE' && !(decision === 'reject' && spoke.state === 'ACTIVE'))
    return skipped(`spoke ${spoke.name} is ${spoke.state}: nothing to ${decision} now`);
  const body =
    decision === 'accept'
      ? { spokeUri: spoke.name }
      : { spokeUri: spoke.name, details: `peerkeeper: ${action.reason}`.slice(0, 1000) };
  const adopted =
    decision === 'accept' ? await adoptSpoke(client, action as ActionOf<'accept-attachment'>, spoke, ctx) : '';
  await nccMutate(client, 'POST', `${hub}:${decision}Spoke`, body, ctx.deadline);
  return done(`${decision}ed spoke ${spoke.name} on ${hub}${adopted}`, spoke.name);
}

/**
 * A spoke peerkeeper accepts becomes its own, as an accepted TGW attachment does on AWS: before the accept, the
 * spoke (in its own project) gets our labels and the declared group, so later plans can keep its routing. Best
 * effort: the accept stands either way; returns what to add to the outcome's detail.
 */
async function adoptSpoke(
  client: ComputeClient,
  action: ActionOf<'accept-attachment'>,
  spoke: NccSpokeJson,
  ctx: ApplyContext,
): Promise<string> {
  const group = action.after.routing.association;
  const moveGroup = group !== undefined && shortName(spoke.group ?? '') !== group;
  const labels = { ...spoke.labels, ...labelsFromTags({ ...(action.after.tags ?? {}) }) };
  const relabel = Object.entries(labels).some(([k, v]) => spoke.labels?.[k] !== v);
  if (!moveGroup && !relabel) return '';
  const fields = [...(moveGroup ? ['group'] : []), ...(relabel ? ['labels'] : [])];
  const patch = {
    ...(moveGroup ? { group: `${hubNameOf(action.target.hub)}/groups/${group}` } : {}),
    ...(relabel ? { labels } : {}),
  };
  try {
    await nccMutate(
      client,
      'PATCH',
      `${spoke.name}?updateMask=${encodeURIComponent(fields.join(','))}`,
      patch,
      ctx.deadline,
    );
    return ` (set ${fields.join(' and ')} first)`;
  } catch (e) {
    return `; setting its ${fields.join(' and ')} failed (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** The spoke an update or delete names, read in its own project; only ours may be changed. */
async function ownSpoke(
  client: ComputeClient,
  action: ActionOf<'update-attachment' | 'delete-attachment'>,
  ctx: ApplyContext,
): Promise<NccSpokeJson | undefined> {
  const t = action.target;
  const id =
    t.id ??
    (action.action === 'delete-attachment' ? action.before.id : undefined) ??
    ctx.resolvePeeringId(networkKey(t.network), networkKey(t.hub)) ??
    (await projectSpokes(client, t.network.account, ctx.deadline)).find((s) => sameNetwork(s, t))?.name;
  if (!id) return undefined;
  let spoke: NccSpokeJson;
  try {
    spoke = await new ProjectIds(client).rewrite(await nccGet<NccSpokeJson>(client, id, ctx.deadline), ctx.deadline);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  if (!isManagedSpoke(spoke))
    throw new TerminalError(`spoke ${spoke.name} is not peerkeeper's (no peerkeeper-managed label): not changed`, {
      code: 'NOT_MANAGED',
    });
  return spoke;
}

async function deleteSpoke(
  client: ComputeClient,
  action: ActionOf<'delete-attachment'>,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const spoke = await ownSpoke(client, action, ctx);
  if (!spoke) return converged(`no spoke of ${action.target.network.id} left`);
  if (spoke.state === 'DELETING') return converged(`spoke ${spoke.name} is being deleted`);
  try {
    await nccMutate(client, 'DELETE', spoke.name, undefined, ctx.deadline);
  } catch (e) {
    if (isNotFound(e)) return converged(`spoke ${spoke.name} is gone`);
    throw e;
  }
  return done(`deleted spoke ${spoke.name} (${shortName(spoke.hub ?? '')})`);
}
