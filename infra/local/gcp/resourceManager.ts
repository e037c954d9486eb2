import { errors, GoogleError } from './googleError';
import { rfc3339, type FolderRecord, type ProjectRecord } from './records';
import type { RouteDef } from './router';
import type { GcpEmulatorState, ResourceManagerCall } from './state';

/** Resource Manager v3 lists answer 50 items by default (pageSize up to 1,000), with an opaque nextPageToken. */
function page<T>(items: readonly T[], query: URLSearchParams): { items: T[]; nextPageToken?: string } {
  const size = Math.min(Number(query.get('pageSize') ?? 50) || 50, 1000);
  const token = query.get('pageToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw errors.invalid(`Invalid value for field 'page_token': '${token}'.`);
  const slice = items.slice(start, start + size);
  return start + size < items.length
    ? { items: slice, nextPageToken: Buffer.from(String(start + size)).toString('base64url') }
    : { items: [...slice] };
}

/** v3 resources carry protobuf Timestamps: RFC 3339 in UTC with a Z. */
const stamp = (d: Date): string => d.toISOString();
const parentOf = (p: ProjectRecord): string | undefined => (p.parent ? `${p.parent.type}s/${p.parent.id}` : undefined);

/** A v3 Project: `name` is `projects/{number}`, `state` ACTIVE or DELETE_REQUESTED, `parent` a `folders/` or `organizations/` name. */
export function renderProjectV3(p: ProjectRecord): Record<string, unknown> {
  return {
    name: `projects/${p.number}`,
    ...(parentOf(p) ? { parent: parentOf(p) } : {}),
    projectId: p.id,
    state: p.state ?? 'ACTIVE',
    displayName: p.name,
    createTime: stamp(p.createTime),
    updateTime: stamp(p.createTime),
    etag: `W/"${p.number}"`,
    labels: p.labels,
  };
}

function renderFolder(f: FolderRecord): Record<string, unknown> {
  return {
    name: f.name,
    parent: f.parent,
    displayName: f.displayName,
    state: f.state,
    createTime: stamp(f.createTime),
    updateTime: stamp(f.createTime),
    etag: `W/"${f.name}"`,
  };
}

function requireParent(query: URLSearchParams): string {
  const parent = query.get('parent') ?? '';
  if (!/^(folders|organizations)\/\d+$/.test(parent))
    throw errors.invalid(
      `Invalid value for field 'parent': '${parent}'. Expected folders/{folder_id} or organizations/{organization_id}.`,
    );
  return parent;
}

/** Resource Manager answers 403, not 404, for a project or folder that does not exist or that the caller cannot see. */
const denied = () => new GoogleError(403, 'forbidden', 'The caller does not have permission');

/** The Long-running Operation a v3 write returns; here it is done at once. */
const done = (name: string, response: Record<string, unknown>, type: string) => ({
  name,
  done: true,
  response: { '@type': `type.googleapis.com/google.cloud.resourcemanager.v3.${type}`, ...response },
});

/**
 * Resource Manager v3 (`/v3/...`): folders and projects by parent, one folder or project, CreateProject and
 * MoveProject. Writes are audit-logged with their v3 method names (what Eventarc filters on).
 */
export const RESOURCE_MANAGER_V3_ROUTES: RouteDef[] = [
  {
    verb: 'GET',
    pattern: /^\/v3\/folders$/,
    method: 'cloudresourcemanager.folders.list',
    write: false,
    handle:
      () =>
      ({ state, query }) => {
        const parent = requireParent(query);
        const showDeleted = query.get('showDeleted') === 'true';
        const paged = page(
          [...state.folders.values()].filter((f) => f.parent === parent && (showDeleted || f.state === 'ACTIVE')),
          query,
        );
        return {
          folders: paged.items.map(renderFolder),
          ...(paged.nextPageToken ? { nextPageToken: paged.nextPageToken } : {}),
        };
      },
  },
  {
    verb: 'GET',
    pattern: /^\/v3\/folders\/(\d+)$/,
    method: 'cloudresourcemanager.folders.get',
    write: false,
    handle:
      ([id]) =>
      ({ state }) => {
        const folder = state.folders.get(`folders/${id}`);
        if (!folder) throw denied();
        return renderFolder(folder);
      },
  },
  {
    verb: 'GET',
    pattern: /^\/v3\/projects$/,
    method: 'cloudresourcemanager.projects.list',
    write: false,
    handle:
      () =>
      ({ state, query }) => {
        const parent = requireParent(query);
        const showDeleted = query.get('showDeleted') === 'true';
        const paged = page(
          [...state.projects.values()].filter(
            (p) => parentOf(p) === parent && (showDeleted || (p.state ?? 'ACTIVE') === 'ACTIVE'),
          ),
          query,
        );
        return {
          projects: paged.items.map(renderProjectV3),
          ...(paged.nextPageToken ? { nextPageToken: paged.nextPageToken } : {}),
        };
      },
  },
  {
    verb: 'GET',
    pattern: /^\/v3\/projects\/([^/:]+)$/,
    method: 'cloudresourcemanager.projects.get',
    write: false,
    handle:
      ([id]) =>
      ({ state }) => {
        const project = state.projects.get(id!) ?? [...state.projects.values()].find((p) => p.number === id);
        if (!project) throw denied();
        return renderProjectV3(project);
      },
  },
  {
    verb: 'POST',
    pattern: /^\/v3\/projects$/,
    method: 'cloudresourcemanager.projects.create',
    write: true,
    handle:
      () =>
      ({ state, body, user }) => {
        const projectId = typeof body.projectId === 'string' ? body.projectId : '';
        const parent = typeof body.parent === 'string' ? body.parent : '';
        if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId))
          throw errors.invalid(`Invalid value for field 'project.project_id': '${projectId}'.`);
        if (state.projects.has(projectId))
          throw new GoogleError(409, 'alreadyExists', 'Requested entity already exists', 'ALREADY_EXISTS');
        const [kind, id] = parent.split('/');
        const project = state.createProject({
          id: projectId,
          name: typeof body.displayName === 'string' ? body.displayName : projectId,
          ...(kind === 'folders' || kind === 'organizations'
            ? { parent: { type: kind === 'folders' ? 'folder' : 'organization', id: id! } }
            : {}),
        });
        record(state, {
          methodName: 'google.cloud.resourcemanager.v3.Projects.CreateProject',
          resourceName: `projects/${projectId}`,
          project: projectId,
          user,
          request: {
            '@type': 'type.googleapis.com/google.cloud.resourcemanager.v3.CreateProjectRequest',
            project: { projectId, parent },
          },
        });
        return done(`operations/cp.${project.number}`, renderProjectV3(project), 'Project');
      },
  },
  {
    verb: 'POST',
    pattern: /^\/v3\/projects\/([^/:]+):move$/,
    method: 'cloudresourcemanager.projects.move',
    write: true,
    handle:
      ([id]) =>
      ({ state, body, user }) => {
        const destination = typeof body.destinationParent === 'string' ? body.destinationParent : '';
        if (!state.projects.has(id!)) throw denied();
        if (
          !/^(folders|organizations)\/\d+$/.test(destination) ||
          (destination.startsWith('folders/') && !state.folders.has(destination))
        )
          throw denied();
        const project = state.moveProject(id!, destination);
        record(state, {
          methodName: 'google.cloud.resourcemanager.v3.Projects.MoveProject',
          resourceName: `projects/${project.number}`,
          project: project.id,
          user,
          request: {
            '@type': 'type.googleapis.com/google.cloud.resourcemanager.v3.MoveProjectRequest',
            name: `projects/${project.id}`,
            destinationParent: destination,
          },
        });
        return done(`operations/mp.${project.number}`, renderProjectV3(project), 'Project');
      },
  },
];

function record(state: GcpEmulatorState, call: ResourceManagerCall): void {
  state.onResourceManagerCall(call);
}

/** The Cloud Audit Log entry of a Resource Manager write, as Eventarc delivers it (structured CloudEvent). */
export function resourceManagerCloudEvent(
  call: ResourceManagerCall,
  insertId: string,
  at: Date,
): Record<string, unknown> {
  const time = rfc3339(at);
  const serviceName = 'cloudresourcemanager.googleapis.com';
  const data = {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: call.user },
      requestMetadata: {
        callerIp: '127.0.0.1',
        callerSuppliedUserAgent: 'peerkeeper-emulator',
        requestAttributes: { time },
        destinationAttributes: {},
      },
      serviceName,
      methodName: call.methodName,
      resourceName: call.resourceName,
      request: call.request,
    },
    insertId,
    resource: { type: 'project', labels: { project_id: call.project } },
    timestamp: time,
    severity: 'NOTICE',
    logName: `projects/${call.project}/logs/cloudaudit.googleapis.com%2Factivity`,
    receiveTimestamp: time,
  };
  return {
    data,
    datacontenttype: 'application/json; charset=utf-8',
    dataschema:
      'https://googleapis.github.io/google-cloudevents/jsonschema/google/events/cloud/audit/v1/LogEntryData.json',
    id: `projects/${call.project}/logs/cloudaudit.googleapis.com%2Factivity${insertId}${at.getTime()}`,
    methodName: call.methodName,
    recordedTime: time,
    resourceName: call.resourceName,
    serviceName,
    source: `//cloudaudit.googleapis.com/projects/${call.project}/logs/activity`,
    specversion: '1.0',
    subject: `${serviceName}/${call.resourceName}`,
    time,
    type: 'google.cloud.audit.log.v1.written',
  };
}
