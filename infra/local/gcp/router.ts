import { errors, GoogleError } from './googleError';
import {
  addPeering,
  deleteRoute,
  insertNetwork,
  insertRoute,
  removePeering,
  requestRemovePeering,
  updatePeering,
  type CallContext,
} from './mutations';
import { NETWORK_CONNECTIVITY_ROUTES } from './networkConnectivity';
import { keyOf, SELF_LINK_BASE } from './records';
import { peeringRoutes, renderNetwork, renderOperation, renderProject, renderRoute, renderSubnetwork } from './render';
import { RESOURCE_MANAGER_V3_ROUTES } from './resourceManager';
import type { GcpEmulatorState } from './state';

/** One parsed call: the Compute method id, whether it writes, and how to answer it. */
export interface Call {
  method: string;
  write: boolean;
  handle(ctx: {
    state: GcpEmulatorState;
    user: string;
    body: Record<string, unknown>;
    query: URLSearchParams;
    waitForOperation(project: string, name: string): Promise<void>;
  }): Promise<unknown> | unknown;
}

type Params = string[];
/** One emulated call: verb, path pattern, the method id (call counter, faults), whether it writes, and its handler. */
export interface RouteDef {
  verb: string;
  pattern: RegExp;
  method: string;
  write: boolean;
  handle: (p: Params) => Call['handle'];
}

const P = '([^/]+)';
const compute = (rest: string): RegExp => new RegExp(`^/compute/v1/projects/${P}${rest}$`);

/** Compute's default page size is 500; tests pass maxResults to force pages. */
function page<T>(items: T[], query: URLSearchParams): { items: T[]; nextPageToken?: string } {
  const max = Math.min(Number(query.get('maxResults') ?? 500) || 500, 500);
  const token = query.get('pageToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw errors.invalid(`Invalid value for field 'pageToken': '${token}'.`);
  const slice = items.slice(start, start + max);
  return start + max < items.length
    ? { items: slice, nextPageToken: Buffer.from(String(start + max)).toString('base64url') }
    : { items: slice };
}

function requireProject(state: GcpEmulatorState, project: string): void {
  if (!state.projects.has(project)) throw errors.notFound(`projects/${project}`);
}

const mutation =
  (fn: (c: CallContext, ...rest: string[]) => ReturnType<typeof insertNetwork>) =>
  ([project, ...rest]: Params): Call['handle'] =>
  ({ state, user, body }) => {
    requireProject(state, project!);
    return renderOperation(fn({ state, project: project!, user, body }, ...rest));
  };

const ROUTES: RouteDef[] = [
  {
    verb: 'GET',
    pattern: compute('/global/networks'),
    method: 'compute.networks.list',
    write: false,
    handle:
      ([p]) =>
      ({ state, query }) => {
        requireProject(state, p!);
        const nets = [...state.networks.values()]
          .filter((n) => n.project === p && state.isVisible(n))
          .map((n) => renderNetwork(state, n));
        return {
          kind: 'compute#networkList',
          id: `projects/${p}/global/networks`,
          ...page(nets, query),
          selfLink: `${SELF_LINK_BASE}/projects/${p}/global/networks`,
        };
      },
  },
  {
    verb: 'POST',
    pattern: compute('/global/networks'),
    method: 'compute.networks.insert',
    write: true,
    handle: mutation(insertNetwork),
  },
  {
    verb: 'GET',
    pattern: compute(`/global/networks/${P}`),
    method: 'compute.networks.get',
    write: false,
    handle:
      ([p, n]) =>
      ({ state }) => {
        const net = state.network(p!, n!);
        if (!net || !state.isVisible(net)) throw errors.notFound(`projects/${p}/global/networks/${n}`);
        return renderNetwork(state, net);
      },
  },
  {
    verb: 'POST',
    pattern: compute(`/global/networks/${P}/addPeering`),
    method: 'compute.networks.addPeering',
    write: true,
    handle: mutation(addPeering),
  },
  {
    verb: 'POST',
    pattern: compute(`/global/networks/${P}/removePeering`),
    method: 'compute.networks.removePeering',
    write: true,
    handle: mutation(removePeering),
  },
  {
    verb: 'POST',
    pattern: compute(`/global/networks/${P}/requestRemovePeering`),
    method: 'compute.networks.requestRemovePeering',
    write: true,
    handle: mutation(requestRemovePeering),
  },
  {
    verb: 'PATCH',
    pattern: compute(`/global/networks/${P}/updatePeering`),
    method: 'compute.networks.updatePeering',
    write: true,
    handle: mutation(updatePeering),
  },
  {
    verb: 'GET',
    pattern: compute('/aggregated/subnetworks'),
    method: 'compute.subnetworks.aggregatedList',
    write: false,
    handle:
      ([p]) =>
      ({ state, query }) => {
        requireProject(state, p!);
        const subs = [...state.subnetworks.values()].filter((s) => s.project === p && state.isVisible(s));
        const paged = page(subs, query);
        const items: Record<string, { subnetworks: unknown[] }> = {};
        for (const s of paged.items)
          (items[`regions/${s.region}`] ??= { subnetworks: [] }).subnetworks.push(renderSubnetwork(s));
        return {
          kind: 'compute#subnetworkAggregatedList',
          id: `projects/${p}/aggregated/subnetworks`,
          items,
          ...(paged.nextPageToken ? { nextPageToken: paged.nextPageToken } : {}),
          selfLink: `${SELF_LINK_BASE}/projects/${p}/aggregated/subnetworks`,
        };
      },
  },
  {
    verb: 'GET',
    pattern: compute(`/regions/${P}/subnetworks`),
    method: 'compute.subnetworks.list',
    write: false,
    handle:
      ([p, r]) =>
      ({ state, query }) => {
        requireProject(state, p!);
        const subs = [...state.subnetworks.values()]
          .filter((s) => s.project === p && s.region === r && state.isVisible(s))
          .map(renderSubnetwork);
        return {
          kind: 'compute#subnetworkList',
          id: `projects/${p}/regions/${r}/subnetworks`,
          ...page(subs, query),
          selfLink: `${SELF_LINK_BASE}/projects/${p}/regions/${r}/subnetworks`,
        };
      },
  },
  {
    verb: 'GET',
    pattern: compute('/global/routes'),
    method: 'compute.routes.list',
    write: false,
    handle:
      ([p]) =>
      ({ state, query }) => {
        requireProject(state, p!);
        const stored = [...state.routes.values()].filter((r) => r.project === p && state.isVisible(r)).map(renderRoute);
        return {
          kind: 'compute#routeList',
          id: `projects/${p}/global/routes`,
          ...page([...stored, ...peeringRoutes(state, p!)], query),
          selfLink: `${SELF_LINK_BASE}/projects/${p}/global/routes`,
        };
      },
  },
  {
    verb: 'POST',
    pattern: compute('/global/routes'),
    method: 'compute.routes.insert',
    write: true,
    handle: mutation(insertRoute),
  },
  {
    verb: 'GET',
    pattern: compute(`/global/routes/${P}`),
    method: 'compute.routes.get',
    write: false,
    handle:
      ([p, r]) =>
      ({ state }) => {
        const route = state.routes.get(keyOf(p!, r!));
        if (!route || !state.isVisible(route)) throw errors.notFound(`projects/${p}/global/routes/${r}`);
        return renderRoute(route);
      },
  },
  {
    verb: 'DELETE',
    pattern: compute(`/global/routes/${P}`),
    method: 'compute.routes.delete',
    write: true,
    handle: mutation(deleteRoute),
  },
  {
    verb: 'GET',
    pattern: compute(`/global/operations/${P}`),
    method: 'compute.globalOperations.get',
    write: false,
    handle:
      ([p, o]) =>
      ({ state }) => {
        state.settle();
        const op = state.operations.get(keyOf(p!, o!));
        if (!op) throw errors.notFound(`projects/${p}/global/operations/${o}`);
        return renderOperation(op);
      },
  },
  {
    verb: 'POST',
    pattern: compute(`/global/operations/${P}/wait`),
    method: 'compute.globalOperations.wait',
    write: false,
    handle:
      ([p, o]) =>
      async ({ state, waitForOperation }) => {
        if (!state.operations.has(keyOf(p!, o!))) throw errors.notFound(`projects/${p}/global/operations/${o}`);
        await waitForOperation(p!, o!);
        return renderOperation(state.operations.get(keyOf(p!, o!))!);
      },
  },
  {
    verb: 'GET',
    pattern: new RegExp(`^/v1/projects/${P}$`),
    method: 'cloudresourcemanager.projects.get',
    write: false,
    handle:
      ([p]) =>
      ({ state }) => {
        const project = state.projects.get(p!);
        // Resource Manager answers 403 for projects that do not exist or that the caller cannot see.
        if (!project) throw new GoogleError(403, 'forbidden', 'The caller does not have permission');
        return renderProject(project);
      },
  },
  {
    verb: 'GET',
    pattern: /^\/v1\/projects$/,
    method: 'cloudresourcemanager.projects.list',
    write: false,
    handle:
      () =>
      ({ state, query }) => {
        const m = /parent\.type:(folder|organization)\s+parent\.id:(\S+)/.exec(query.get('filter') ?? '');
        const all = [...state.projects.values()]
          .filter((p) => !m || (p.parent?.type === m[1] && p.parent?.id === m[2]))
          .map(renderProject);
        const paged = page(
          all,
          new URLSearchParams({ maxResults: query.get('pageSize') ?? '500', pageToken: query.get('pageToken') ?? '' }),
        );
        return { projects: paged.items, ...(paged.nextPageToken ? { nextPageToken: paged.nextPageToken } : {}) };
      },
  },
  ...RESOURCE_MANAGER_V3_ROUTES,
  ...NETWORK_CONNECTIVITY_ROUTES,
];

/** Finds the call a request makes; undefined for paths outside the emulated subset. */
export function resolveCall(verb: string, pathname: string): Call | undefined {
  for (const def of ROUTES) {
    if (def.verb !== verb) continue;
    const m = def.pattern.exec(pathname);
    if (m) return { method: def.method, write: def.write, handle: def.handle(m.slice(1).map(decodeURIComponent)) };
  }
  return undefined;
}
