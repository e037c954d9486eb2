import { cidrsOverlap } from '../ranges';
import {
  hubName,
  NCC_TYPE,
  nccErrors,
  parseSpokeName,
  spokeName,
  type NccOperationRecord,
  type NccSpokeRecord,
} from './ncc-records';
import { exportedRanges, renderGroup, renderSpoke } from './ncc-render';
import { reasonOf, type NccStore } from './ncc-state';
import { networkUrl, parseNetworkUrl } from './records';

/** Who calls and what they sent. */
export interface NccCall {
  store: NccStore;
  user: string;
  body: Record<string, unknown>;
  query: URLSearchParams;
}

const ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HUB_SERVICE = 'google.cloud.networkconnectivity.v1.HubService';
const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const lastSegment = (v: string): string => v.split('/').pop()!;

function operation(
  c: NccCall,
  o: { project: string; method: string; verb: string; target: string; rpc: string; resource: string },
  effect: () => Record<string, unknown>,
): NccOperationRecord {
  return c.store.startOperation({
    project: o.project,
    method: o.method,
    verb: o.verb,
    target: o.target,
    user: c.user,
    effect,
    audit: {
      methodName: `${HUB_SERVICE}.${o.rpc}`,
      resourceName: o.resource,
      request: { '@type': `${NCC_TYPE}.${o.rpc}Request`, ...c.body },
    },
  });
}

/** INACTIVE for review unless the spoke's project is the hub's or on its group's auto-accept list. */
function settledState(store: NccStore, s: NccSpokeRecord): void {
  const hub = store.hub(s.hub);
  const accepted = s.project === hub.project || hub.groups.get(s.group)!.autoAcceptProjects.includes(s.project);
  s.state = accepted ? 'ACTIVE' : 'INACTIVE';
  s.reasons = accepted ? [] : [reasonOf('PENDING_REVIEW')];
  s.updateTime = store.now();
}

/**
 * spokes.create (VPC spokes). A VPC network links to one hub through one spoke: a second spoke for it is refused with
 * ALREADY_EXISTS. Subnet ranges must not overlap those another VPC spoke of the hub exports: NCC's VPC spokes overview
 * says an overlapping spoke cannot be added (routes are exchanged between every spoke), so the call fails with
 * FAILED_PRECONDITION and nothing is created.
 */
export function createSpoke(c: NccCall, project: string): NccOperationRecord {
  const spokeId = c.query.get('spokeId') ?? '';
  if (!ID.test(spokeId)) throw nccErrors.invalid(`Invalid spoke_id '${spokeId}'.`);
  const name = spokeName(project, 'global', spokeId);
  if (c.store.spokes.has(name)) throw nccErrors.alreadyExists(`Spoke '${name}' already exists.`);
  const hubRef = typeof c.body.hub === 'string' ? c.body.hub.replace(/^https:\/\/[^/]+\/v1\//, '') : '';
  const hub = c.store.hubs.get(hubRef);
  if (!hub) throw nccErrors.invalid(`Hub '${hubRef}' does not exist.`);
  const linked = record(c.body.linkedVpcNetwork);
  const net = typeof linked.uri === 'string' ? parseNetworkUrl(linked.uri) : undefined;
  if (!net)
    throw nccErrors.invalid('Exactly one of the linked resources must be set; linked_vpc_network.uri is required.');
  if (!c.store.gcp.network(net.project, net.network))
    throw nccErrors.invalid(`VPC network '${networkUrl(net.project, net.network)}' does not exist.`);
  const group =
    typeof c.body.group === 'string' && c.body.group ? lastSegment(c.body.group) : [...hub.groups.keys()][0]!;
  if (!hub.groups.has(group)) throw nccErrors.invalid(`Group '${group}' does not exist in hub '${hubRef}'.`);
  const taken = [...c.store.spokes.values()].find(
    (s) => s.vpc?.project === net.project && s.vpc.network === net.network,
  );
  if (taken)
    throw nccErrors.alreadyExists(
      `VPC network '${networkUrl(net.project, net.network)}' is already linked by spoke '${spokeName(taken.project, taken.location, taken.name)}'.`,
    );
  const now = c.store.now();
  const spoke: NccSpokeRecord = {
    project,
    location: 'global',
    name: spokeId,
    hub: hubRef,
    group,
    labels: Object.fromEntries(Object.entries(record(c.body.labels)).map(([k, v]) => [k, String(v)])),
    ...(typeof c.body.description === 'string' ? { description: c.body.description } : {}),
    vpc: {
      ...net,
      excludeExportRanges: strings(linked.excludeExportRanges),
      includeExportRanges: strings(linked.includeExportRanges),
    },
    state: 'CREATING',
    reasons: [],
    createTime: now,
    updateTime: now,
    uniqueId: c.store.uid(),
  };
  refuseOverlap(c.store, spoke);
  c.store.spokes.set(name, spoke);
  const target = name;
  return operation(
    c,
    {
      project,
      method: 'networkconnectivity.projects.locations.spokes.create',
      verb: 'create',
      target,
      rpc: 'CreateSpoke',
      resource: name,
    },
    () => {
      settledState(c.store, spoke);
      return { '@type': `${NCC_TYPE}.Spoke`, ...renderSpoke(spoke) };
    },
  );
}

function refuseOverlap(store: NccStore, spoke: NccSpokeRecord): void {
  const mine = exportedRanges(store, spoke);
  for (const other of store.spokes.values()) {
    if (other.hub !== spoke.hub || !other.vpc) continue;
    for (const theirs of exportedRanges(store, other))
      for (const r of mine)
        if (cidrsOverlap(r.range, theirs.range))
          throw nccErrors.failedPrecondition(
            `Subnet range ${r.range} overlaps range ${theirs.range} of spoke '${spokeName(other.project, other.location, other.name)}' on hub '${spoke.hub}'.`,
          );
  }
}

/** The spoke a hub decision names (`spokeUri`), which must be attached to this hub. */
function spokeOnHub(c: NccCall, hub: string): NccSpokeRecord {
  const parsed = typeof c.body.spokeUri === 'string' ? parseSpokeName(c.body.spokeUri) : undefined;
  if (!parsed) throw nccErrors.invalid(`Invalid spoke_uri '${String(c.body.spokeUri)}'.`);
  const s = c.store.spoke(spokeName(parsed.project, parsed.location, parsed.spoke));
  if (s.hub !== hub) throw nccErrors.invalid(`Spoke '${String(c.body.spokeUri)}' is not attached to hub '${hub}'.`);
  return s;
}

/** hubs.acceptSpoke: a spoke waiting for review (or rejected) becomes ACTIVE. */
export function acceptSpoke(c: NccCall, project: string, hubId: string): NccOperationRecord {
  const hub = hubName(project, hubId);
  c.store.hub(hub);
  const s = spokeOnHub(c, hub);
  if (s.state !== 'INACTIVE')
    throw nccErrors.failedPrecondition(`Spoke is ${s.state}; only an INACTIVE spoke can be accepted.`);
  s.state = 'ACCEPTING';
  const m = 'networkconnectivity.projects.locations.global.hubs.acceptSpoke';
  return operation(c, { project, method: m, verb: 'update', target: hub, rpc: 'AcceptHubSpoke', resource: hub }, () => {
    s.state = 'ACTIVE';
    s.reasons = [];
    s.updateTime = c.store.now();
    return { '@type': `${NCC_TYPE}.AcceptHubSpokeResponse`, spoke: renderSpoke(s, 'DETAILED') };
  });
}

/** hubs.rejectSpoke: a spoke waiting for review, or an active one, becomes INACTIVE with reason REJECTED. */
export function rejectSpoke(c: NccCall, project: string, hubId: string): NccOperationRecord {
  const hub = hubName(project, hubId);
  c.store.hub(hub);
  const s = spokeOnHub(c, hub);
  if (s.state !== 'INACTIVE' && s.state !== 'ACTIVE')
    throw nccErrors.failedPrecondition(`Spoke is ${s.state}; it cannot be rejected now.`);
  s.state = 'REJECTING';
  const details = typeof c.body.details === 'string' ? c.body.details : undefined;
  const m = 'networkconnectivity.projects.locations.global.hubs.rejectSpoke';
  return operation(c, { project, method: m, verb: 'update', target: hub, rpc: 'RejectHubSpoke', resource: hub }, () => {
    s.state = 'INACTIVE';
    s.reasons = [reasonOf('REJECTED', details)];
    s.updateTime = c.store.now();
    return { '@type': `${NCC_TYPE}.RejectHubSpokeResponse`, spoke: renderSpoke(s, 'DETAILED') };
  });
}

const SPOKE_FIELDS = [
  'labels',
  'description',
  'group',
  'linkedVpcNetwork.excludeExportRanges',
  'linkedVpcNetwork.includeExportRanges',
];

/** spokes.patch with an update mask of the fields above (without a mask: every one of them the body carries). */
export function updateSpoke(c: NccCall, project: string, id: string): NccOperationRecord {
  const name = spokeName(project, 'global', id);
  const s = c.store.spoke(name);
  const mask = (c.query.get('updateMask') ?? '').split(',').filter(Boolean);
  const linked = record(c.body.linkedVpcNetwork);
  const fields =
    mask.length > 0
      ? mask
      : SPOKE_FIELDS.filter((f) => (f.startsWith('linked') ? f.split('.')[1]! in linked : f in c.body));
  const unknown = fields.filter((f) => !SPOKE_FIELDS.includes(f));
  if (unknown.length > 0) throw nccErrors.invalid(`Field(s) ${unknown.join(', ')} cannot be updated.`);
  if (s.state !== 'ACTIVE' && s.state !== 'INACTIVE') throw nccErrors.failedPrecondition(`Spoke is ${s.state}.`);
  const hub = c.store.hub(s.hub);
  const group = fields.includes('group') && typeof c.body.group === 'string' ? lastSegment(c.body.group) : s.group;
  if (!hub.groups.has(group)) throw nccErrors.invalid(`Group '${group}' does not exist in hub '${s.hub}'.`);
  const was = s.state;
  s.state = 'UPDATING';
  return operation(
    c,
    {
      project,
      method: 'networkconnectivity.projects.locations.spokes.patch',
      verb: 'update',
      target: name,
      rpc: 'UpdateSpoke',
      resource: name,
    },
    () => {
      if (fields.includes('labels'))
        s.labels = Object.fromEntries(Object.entries(record(c.body.labels)).map(([k, v]) => [k, String(v)]));
      if (fields.includes('description') && typeof c.body.description === 'string') s.description = c.body.description;
      s.group = group;
      if (s.vpc && fields.includes('linkedVpcNetwork.excludeExportRanges'))
        s.vpc.excludeExportRanges = strings(linked.excludeExportRanges);
      if (s.vpc && fields.includes('linkedVpcNetwork.includeExportRanges'))
        s.vpc.includeExportRanges = strings(linked.includeExportRanges);
      s.state = was;
      s.updateTime = c.store.now();
      return { '@type': `${NCC_TYPE}.Spoke`, ...renderSpoke(s) };
    },
  );
}

/** spokes.delete: DELETING until the operation is done, then gone. */
export function deleteSpoke(c: NccCall, project: string, location: string, id: string): NccOperationRecord {
  const name = spokeName(project, location, id);
  const s = c.store.spoke(name);
  if (s.state === 'DELETING') throw nccErrors.failedPrecondition(`Spoke '${name}' is already being deleted.`);
  s.state = 'DELETING';
  return operation(
    c,
    {
      project,
      method: 'networkconnectivity.projects.locations.spokes.delete',
      verb: 'delete',
      target: name,
      rpc: 'DeleteSpoke',
      resource: name,
    },
    () => {
      c.store.spokes.delete(name);
      return { '@type': 'type.googleapis.com/google.protobuf.Empty' };
    },
  );
}

/** hubs.groups.patch: labels, description and the auto-accept list. */
export function updateGroup(c: NccCall, project: string, hubId: string, group: string): NccOperationRecord {
  const hub = c.store.hub(hubName(project, hubId));
  const g = hub.groups.get(group);
  const name = `${hubName(project, hubId)}/groups/${group}`;
  if (!g) throw nccErrors.notFound(name);
  const mask = (c.query.get('updateMask') ?? 'autoAccept.autoAcceptProjects').split(',').filter(Boolean);
  const allowed = ['labels', 'description', 'autoAccept', 'autoAccept.autoAcceptProjects'];
  const unknown = mask.filter((f) => !allowed.includes(f));
  if (unknown.length > 0) throw nccErrors.invalid(`Field(s) ${unknown.join(', ')} cannot be updated.`);
  return operation(
    c,
    {
      project,
      method: 'networkconnectivity.projects.locations.global.hubs.groups.patch',
      verb: 'update',
      target: name,
      rpc: 'UpdateGroup',
      resource: name,
    },
    () => {
      if (mask.some((f) => f.startsWith('autoAccept')))
        g.autoAcceptProjects = strings(record(c.body.autoAccept).autoAcceptProjects);
      if (mask.includes('labels'))
        g.labels = Object.fromEntries(Object.entries(record(c.body.labels)).map(([k, v]) => [k, String(v)]));
      g.updateTime = c.store.now();
      return { '@type': `${NCC_TYPE}.Group`, ...renderGroup(hub, group) };
    },
  );
}
