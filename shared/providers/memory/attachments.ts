import { ConvergedError, StaleActionError, TerminalError } from '../../errors';
import type { ActionOf, Attachment, AttachmentAction, AttachmentRouting, TransitHub } from '../../model';
import { observedRouting, routingMatches } from '../../planner/transit/hubs';
import { MANAGED_TAG, isLiveAttachment, networkKey } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { MemoryCloud } from './cloud';

/** Sets what a routing names: association and propagations always, labels and export filters when given. */
function setRouting(a: Attachment, routing: AttachmentRouting): void {
  if (routing.association) a.association = routing.association;
  else delete a.association;
  a.propagations = routing.propagations;
  if (routing.labels) a.labels = routing.labels;
  if (routing.exportFilters) a.exportFilters = routing.exportFilters;
}

/**
 * Hub route tables learn the ranges of the active attachments that propagate into them (an NCC hub: every active
 * spoke, into its group's table); static routes stay as written.
 */
export function refreshHubRoutes(memory: MemoryCloud): void {
  for (const hub of memory.hubs.values()) {
    for (const table of hub.routeTables) {
      const learned = [...memory.attachments.values()].flatMap((a) => {
        if (a.state !== 'active' || networkKey(a.hub) !== networkKey(hub.ref)) return [];
        const into = hub.ref.cloud === 'gcp' ? a.association === table.id : a.propagations.includes(table.id);
        const cidrs = into ? (memory.networks.get(networkKey(a.network))?.cidrs ?? []) : [];
        const excluded = new Set(a.exportFilters?.exclude ?? []);
        return cidrs
          .filter((c) => !excluded.has(c))
          .map((destination) => ({
            destination,
            target: { kind: 'attachment' as const, attachmentId: a.id },
            origin: 'propagated' as const,
            state: 'active' as const,
          }));
      });
      table.routes = [...table.routes.filter((r) => r.origin === 'static'), ...learned];
    }
  }
}

function hubOf(memory: MemoryCloud, action: AttachmentAction): TransitHub {
  const hub = memory.hubs.get(`${action.cloud}:${action.target.hub.id}`);
  if (!hub) throw new TerminalError(`transit hub ${action.target.hub.id} does not exist`, { code: 'NotFound' });
  return hub;
}

function find(memory: MemoryCloud, action: AttachmentAction, ctx: ApplyContext): Attachment {
  const { hub, network } = action.target;
  const id = action.target.id ?? ctx.resolvePeeringId(networkKey(network), networkKey(hub));
  const a = id ? memory.attachments.get(`${action.cloud}:${id}`) : undefined;
  if (!a) throw new StaleActionError(`attachment ${id ?? `${network.id} → ${hub.id}`} does not exist`);
  return a;
}

function create(memory: MemoryCloud, action: ActionOf<'create-attachment'>): ApplyOutcome {
  const hub = hubOf(memory, action);
  const { network } = action.target;
  if (!memory.networks.has(networkKey(network)))
    throw new TerminalError(`network ${networkKey(network)} does not exist`, { code: 'NotFound' });
  const live = [...memory.attachments.values()].find(
    (a) =>
      isLiveAttachment(a.state) &&
      networkKey(a.network) === networkKey(network) &&
      networkKey(a.hub) === networkKey(hub.ref),
  );
  if (live) {
    if (live.tags[MANAGED_TAG] !== 'true')
      throw new TerminalError(`${network.id} is already attached to ${hub.ref.id} by ${live.id}, not ours`, {
        code: 'DuplicateTransitGatewayAttachment',
      });
    return { status: 'converged', peeringId: live.id, detail: `attachment ${live.id} already exists` };
  }
  memory.write();
  // A hub's owner creates Azure connections (active at once); AWS and NCC make another account's spoke wait.
  const waits = action.cloud !== 'azure' && network.account !== hub.ref.account;
  const id = memory.nextId(action.cloud === 'aws' ? 'tgw-attach-' : 'attachment-');
  const routing = action.after.routing;
  memory.attachments.set(`${action.cloud}:${id}`, {
    id,
    cloud: action.cloud,
    hub: hub.ref,
    network,
    state: waits ? 'requested' : 'active',
    propagations: [],
    tags: action.after.tags,
  });
  const made = memory.attachments.get(`${action.cloud}:${id}`)!;
  // NCC keeps the group and export filters a spoke is proposed with; AWS routes an attachment once it is accepted.
  if (!waits || action.cloud === 'gcp') setRouting(made, routing);
  refreshHubRoutes(memory);
  return { status: 'done', peeringId: id };
}

function accept(memory: MemoryCloud, action: ActionOf<'accept-attachment'>, ctx: ApplyContext): ApplyOutcome {
  if (action.cloud === 'azure') return { status: 'skipped', detail: 'Azure has no attachment requests' };
  const a = find(memory, action, ctx);
  if (a.state === 'active') return { status: 'converged', peeringId: a.id };
  if (a.state !== 'requested') throw new StaleActionError(`attachment ${a.id} is ${a.state}, not pending`);
  memory.write();
  a.state = 'active';
  setRouting(a, action.after.routing);
  a.tags = { ...a.tags, ...action.after.tags };
  refreshHubRoutes(memory);
  return { status: 'done', peeringId: a.id };
}

function reject(memory: MemoryCloud, action: ActionOf<'reject-attachment'>, ctx: ApplyContext): ApplyOutcome {
  if (action.cloud === 'azure') return { status: 'skipped', detail: 'Azure has no attachment requests' };
  const a = find(memory, action, ctx);
  if (a.state === 'rejected') return { status: 'converged', peeringId: a.id };
  if (a.state !== 'requested') throw new StaleActionError(`attachment ${a.id} is ${a.state}, not pending`);
  memory.write();
  a.state = 'rejected';
  return { status: 'done', peeringId: a.id };
}

function update(memory: MemoryCloud, action: ActionOf<'update-attachment'>, ctx: ApplyContext): ApplyOutcome {
  const a = find(memory, action, ctx);
  if (a.tags[MANAGED_TAG] !== 'true') throw new TerminalError(`attachment ${a.id} is not peerkeeper's`);
  if (routingMatches(action.after, observedRouting(a), a.cloud)) return { status: 'converged', peeringId: a.id };
  if (!routingMatches(action.before, observedRouting(a), a.cloud))
    throw new StaleActionError(`attachment ${a.id} routing changed since the plan`);
  memory.write();
  setRouting(a, action.after);
  refreshHubRoutes(memory);
  return { status: 'done', peeringId: a.id };
}

function remove(memory: MemoryCloud, action: ActionOf<'delete-attachment'>, ctx: ApplyContext): ApplyOutcome {
  const a = find(memory, action, ctx);
  if (a.state === 'deleted') throw new ConvergedError(`attachment ${a.id} is already gone`);
  if (a.tags[MANAGED_TAG] !== 'true') throw new TerminalError(`attachment ${a.id} is not peerkeeper's`);
  memory.write();
  memory.attachments.delete(`${action.cloud}:${a.id}`);
  refreshHubRoutes(memory);
  return { status: 'done', peeringId: a.id };
}

/** Transit attachments over the in-memory cloud, with each cloud's request semantics (AWS and NCC wait, Azure does not). */
export function applyMemoryAttachment(memory: MemoryCloud, action: AttachmentAction, ctx: ApplyContext): ApplyOutcome {
  try {
    return applyOne(memory, action, ctx);
  } catch (error) {
    if (error instanceof ConvergedError) return { status: 'converged', detail: error.message };
    if (error instanceof StaleActionError) return { status: 'skipped', detail: error.message };
    throw error;
  }
}

function applyOne(memory: MemoryCloud, action: AttachmentAction, ctx: ApplyContext): ApplyOutcome {
  switch (action.action) {
    case 'create-attachment':
      return create(memory, action);
    case 'accept-attachment':
      return accept(memory, action, ctx);
    case 'reject-attachment':
      return reject(memory, action, ctx);
    case 'update-attachment':
      return update(memory, action, ctx);
    case 'delete-attachment':
      return remove(memory, action, ctx);
  }
}
