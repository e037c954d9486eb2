import { MalformedEventError } from '../../errors';
import type { Scope, TriggerKind } from '../../model';
import { asRecord, findStringByKey } from '../shape';
import type { LogEntryData } from './envelope';
import { NCC_METHODS, scopeForNcc } from './ncc';

/** What an audit-logged call asks peerkeeper to re-check, or the reason it needs no work (a string). */
export type MethodOutcome = { scope: Scope; kind: TriggerKind } | string;

/** GCP VPC networks are global resources: NetworkRef.region is always 'global'. */
const GLOBAL = 'global';

/** `v1.compute.networks.addPeering`, `beta.compute.…`, `alpha.compute.…` or bare `compute.…`. */
const COMPUTE_METHOD = /^(?:(?:v1|beta|alpha)\.)?compute\.(networks|routes|subnetworks)\.([A-Za-z]+)$/;
// requestRemovePeering: a peer's admin asks to end a CONSENSUS peering; our side must re-check it at once.
const PEERING_METHODS = new Set(['addPeering', 'removePeering', 'updatePeering', 'requestRemovePeering']);
const NETWORK_METHODS = new Set(['insert', 'delete', 'patch']);
const ROUTE_METHODS = new Set(['insert', 'delete']);
/** Data-access entries for reads are only logged when enabled, but they must never cause work. */
const READ_METHODS = new Set(['get', 'list', 'aggregatedList', 'listUsable', 'getIamPolicy', 'testIamPermissions']);
const NETWORK_RESOURCE = /^projects\/([^/]+)\/global\/networks\/([^/]+)$/;
const PROJECT_PREFIX = /^projects\/([^/]+)(?:\/|$)/;
/** Project ids start with a letter; an all-digit segment is a project number, which is not an account id here. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,61}[a-z0-9]$/;

/** Maps one completed, successful audit-logged call to a scope. */
export function scopeForMethod(entry: LogEntryData): MethodOutcome {
  const { methodName, resourceName } = entry.protoPayload;
  const compute = COMPUTE_METHOD.exec(methodName);
  if (compute) {
    const [, collection = '', verb = ''] = compute;
    if (collection === 'networks' && (PEERING_METHODS.has(verb) || NETWORK_METHODS.has(verb))) {
      const network = NETWORK_RESOURCE.exec(resourceName ?? '');
      if (!network) throw unreadable(methodName, resourceName, 'projects/{project}/global/networks/{network}');
      const [, account = '', id = ''] = network;
      return {
        kind: PEERING_METHODS.has(verb) ? 'peering' : 'network',
        scope: { kind: 'network', network: { cloud: 'gcp', account, region: GLOBAL, id } },
      };
    }
    // A route's resource name does not say its network (that is in the request body, and gone on delete): re-check the project.
    if (collection === 'routes' && ROUTE_METHODS.has(verb))
      return { kind: 'route', scope: projectScope(entry, methodName) };
    if (collection === 'subnetworks' && !READ_METHODS.has(verb))
      return { kind: 'network', scope: projectScope(entry, methodName) };
    return `peerkeeper does not watch ${methodName}`;
  }
  const ncc = scopeForNcc(entry);
  if (ncc) return ncc;
  if (isResourceManager(entry) && /(?:^|\.)CreateProject$/.test(methodName))
    return { kind: 'vending', scope: newProjectScope(entry) };
  // A project moved between folders may have joined or left a governed folder: re-read it.
  if (isResourceManager(entry) && /(?:^|\.)MoveProject$/.test(methodName))
    return { kind: 'vending', scope: movedProjectScope(entry) };
  // Networks have no labels: policy selects them by project labels, which UpdateProject changes.
  if (isResourceManager(entry) && /(?:^|\.)UpdateProject$/.test(methodName))
    return { kind: 'network', scope: projectScope(entry, methodName) };
  return `peerkeeper does not watch ${methodName}`;
}

function isResourceManager(entry: LogEntryData): boolean {
  return (
    entry.protoPayload.serviceName === 'cloudresourcemanager.googleapis.com' ||
    entry.protoPayload.methodName.includes('cloudresourcemanager')
  );
}

/** The project of `projects/P/...`, else the log entry's resource label. */
function projectScope(entry: LogEntryData, methodName: string): Scope {
  const fromName = PROJECT_PREFIX.exec(entry.protoPayload.resourceName ?? '')?.[1];
  const fromLabel = entry.resource?.labels?.['project_id'];
  const project = fromName ?? (typeof fromLabel === 'string' && fromLabel.length > 0 ? fromLabel : undefined);
  if (!project) throw unreadable(methodName, entry.protoPayload.resourceName, 'projects/{project}/...');
  return { kind: 'account', cloud: 'gcp', account: project };
}

/**
 * The new project of CreateProject: v3 requests carry `project.projectId`, v1 requests are the Project itself
 * (`projectId`), and the resource name is `projects/{id}` only when it is not a project number. Without an id the
 * estate is swept, which finds the new project by listing.
 */
function newProjectScope(entry: LogEntryData): Scope {
  const { request, response, resourceName } = entry.protoPayload;
  const candidates = [
    findStringByKey(asRecord(request)?.['project'], 'projectId'),
    asRecord(request)?.['projectId'],
    findStringByKey(response, 'projectId'),
    PROJECT_PREFIX.exec(resourceName ?? '')?.[1],
  ];
  const project = candidates.find((value): value is string => typeof value === 'string' && PROJECT_ID.test(value));
  return project ? { kind: 'account', cloud: 'gcp', account: project } : { kind: 'estate' };
}

/**
 * The project of MoveProject. Resource Manager may name it by number (`projects/4155…`), which is not the project id
 * partitions use; then the log entry's `project_id` label names it, and without either the estate is swept.
 */
function movedProjectScope(entry: LogEntryData): Scope {
  const fromName = [
    PROJECT_PREFIX.exec(entry.protoPayload.resourceName ?? '')?.[1],
    PROJECT_PREFIX.exec(String(asRecord(entry.protoPayload.request)?.['name'] ?? ''))?.[1],
  ];
  const project = [...fromName, entry.resource?.labels?.['project_id']].find(
    (value): value is string => typeof value === 'string' && PROJECT_ID.test(value),
  );
  return project ? { kind: 'account', cloud: 'gcp', account: project } : { kind: 'estate' };
}

function unreadable(methodName: string, resourceName: string | undefined, expected: string): MalformedEventError {
  return new MalformedEventError(
    `GCP ${methodName} audit log names resource "${resourceName ?? '(none)'}"; expected ${expected}.`,
  );
}

/**
 * Every audit-logged method that produces work, exactly as Eventarc filters need them (serviceName +
 * methodName, one trigger each: Eventarc matches methodName exactly). Compute logs GA calls as `v1.` and
 * Console / beta gcloud calls as `beta.`; Resource Manager logs v1 and v3 names. infra/gcp is tested against this list.
 */
export const WATCHED_GCP_METHODS: readonly { serviceName: string; methodName: string }[] = [
  ...['v1', 'beta']
    .flatMap((version) => [
      ...['addPeering', 'removePeering', 'updatePeering', 'requestRemovePeering', 'insert', 'delete', 'patch'].map(
        (verb) => `${version}.compute.networks.${verb}`,
      ),
      ...['insert', 'delete'].map((verb) => `${version}.compute.routes.${verb}`),
      ...['insert', 'delete', 'patch', 'expandIpCidrRange'].map((verb) => `${version}.compute.subnetworks.${verb}`),
    ])
    .map((methodName) => ({ serviceName: 'compute.googleapis.com', methodName })),
  ...[
    'CreateProject',
    'UpdateProject',
    'google.cloud.resourcemanager.v3.Projects.CreateProject',
    'google.cloud.resourcemanager.v3.Projects.UpdateProject',
    'google.cloud.resourcemanager.v3.Projects.MoveProject',
  ].map((methodName) => ({ serviceName: 'cloudresourcemanager.googleapis.com', methodName })),
  ...NCC_METHODS,
];
