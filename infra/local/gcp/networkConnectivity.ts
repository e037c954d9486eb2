import {
  acceptSpoke,
  createSpoke,
  deleteSpoke,
  rejectSpoke,
  updateGroup,
  updateSpoke,
  type NccCall,
} from './ncc-mutations';
import { projectIdOf, withProjectIds, withProjectNumbers } from './ncc-project-numbers';
import { hubName, NccError, nccErrors, spokeName } from './ncc-records';
import { renderGroup, renderHub, renderNccOperation, renderRouteTable, renderRoutes, renderSpoke } from './ncc-render';
import type { NccStore } from './ncc-state';
import type { Call, RouteDef } from './router';
import type { GcpEmulatorState } from './state';

const P = '([^/]+)';
const ID = '([^/:]+)';
/** NCC is served at `${origin}/networkconnectivity/v1` (networkconnectivity.googleapis.com/v1 in the cloud). */
const ncc = (rest: string): RegExp => new RegExp(`^/networkconnectivity/v1/projects/${P}/locations/${rest}$`);
const METHOD = 'networkconnectivity.projects.locations';

/** NCC lists: `pageSize` (default: the store's), an opaque `pageToken`, `nextPageToken` when more remain. */
function page<T>(store: NccStore, items: readonly T[], query: URLSearchParams): { items: T[]; nextPageToken?: string } {
  const size = Math.max(1, Math.min(Number(query.get('pageSize') ?? store.pageSize) || store.pageSize, 1000));
  const token = query.get('pageToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw nccErrors.invalid(`Invalid page_token '${token}'.`);
  const slice = items.slice(start, start + size);
  return start + size < items.length
    ? { items: slice, nextPageToken: Buffer.from(String(start + size)).toString('base64url') }
    : { items: [...slice] };
}

/** The store, settled, after checking the project exists (NCC answers 403 for a project the caller cannot see). */
function storeFor(state: GcpEmulatorState, project: string): NccStore {
  if (!state.projects.has(project))
    throw new NccError(403, 'PERMISSION_DENIED', `Permission denied on resource project ${project}.`);
  state.ncc.settle();
  return state.ncc;
}

type Handler = (store: NccStore, p: string[], ctx: Parameters<Call['handle']>[0]) => unknown;
const route = (verb: string, pattern: RegExp, method: string, write: boolean, fn: Handler): RouteDef => ({
  verb,
  pattern,
  method,
  write,
  handle: (raw) => (ctx) => {
    const p = [projectIdOf(ctx.state, raw[0]!), ...raw.slice(1)];
    const store = storeFor(ctx.state, p[0]!);
    const answer = fn(store, p, { ...ctx, body: withProjectIds(ctx.state, ctx.body) });
    return store.namesByNumber ? withProjectNumbers(ctx.state, answer) : answer;
  },
});
const call = (store: NccStore, ctx: Parameters<Call['handle']>[0]): NccCall => ({
  store,
  user: ctx.user,
  body: ctx.body,
  query: ctx.query,
});
const list = <T>(store: NccStore, key: string, items: readonly T[], query: URLSearchParams) => {
  const paged = page(store, items, query);
  return { [key]: paged.items, ...(paged.nextPageToken ? { nextPageToken: paged.nextPageToken } : {}) };
};

/** Network Connectivity Center v1: hubs, groups, route tables, spokes and operations (the subset peerkeeper uses). */
export const NETWORK_CONNECTIVITY_ROUTES: RouteDef[] = [
  route('GET', ncc('global/hubs'), `${METHOD}.global.hubs.list`, false, (store, [p], { query }) =>
    list(
      store,
      'hubs',
      [...store.hubs.values()].filter((h) => h.project === p).map((h) => renderHub(store, h)),
      query,
    ),
  ),
  route('GET', ncc(`global/hubs/${ID}`), `${METHOD}.global.hubs.get`, false, (store, [p, h]) =>
    renderHub(store, store.hub(hubName(p!, h!))),
  ),
  route(
    'GET',
    ncc(`global/hubs/${ID}:listSpokes`),
    `${METHOD}.global.hubs.listSpokes`,
    false,
    (store, [p, h], { query }) => {
      const hub = hubName(p!, h!);
      store.hub(hub);
      const view = query.get('view') === 'DETAILED' ? 'DETAILED' : 'BASIC';
      // Repeated (`spokeLocations=global&spokeLocations=us-east1`) or comma-separated; absent = every location.
      const locations = query.getAll('spokeLocations').flatMap((l) => l.split(','));
      // SpokeView: "You can use the DETAILED view only when you set the spoke_locations field to [global]."
      if (view === 'DETAILED' && (locations.length !== 1 || locations[0] !== 'global'))
        throw nccErrors.invalid('The DETAILED view requires spoke_locations to be [global].');
      const spokes = [...store.spokes.values()]
        .filter((s) => s.hub === hub && (locations.length === 0 || locations.includes(s.location)))
        .map((s) => renderSpoke(s, view));
      return list(store, 'spokes', spokes, query);
    },
  ),
  route('POST', ncc(`global/hubs/${ID}:acceptSpoke`), `${METHOD}.global.hubs.acceptSpoke`, true, (store, [p, h], ctx) =>
    renderNccOperation(acceptSpoke(call(store, ctx), p!, h!)),
  ),
  route('POST', ncc(`global/hubs/${ID}:rejectSpoke`), `${METHOD}.global.hubs.rejectSpoke`, true, (store, [p, h], ctx) =>
    renderNccOperation(rejectSpoke(call(store, ctx), p!, h!)),
  ),
  route(
    'GET',
    ncc(`global/hubs/${ID}/groups`),
    `${METHOD}.global.hubs.groups.list`,
    false,
    (store, [p, h], { query }) => {
      const hub = store.hub(hubName(p!, h!));
      return list(
        store,
        'groups',
        [...hub.groups.keys()].map((g) => renderGroup(hub, g)),
        query,
      );
    },
  ),
  route('GET', ncc(`global/hubs/${ID}/groups/${ID}`), `${METHOD}.global.hubs.groups.get`, false, (store, [p, h, g]) => {
    const hub = store.hub(hubName(p!, h!));
    if (!hub.groups.has(g!)) throw nccErrors.notFound(`${hubName(p!, h!)}/groups/${g}`);
    return renderGroup(hub, g!);
  }),
  route(
    'PATCH',
    ncc(`global/hubs/${ID}/groups/${ID}`),
    `${METHOD}.global.hubs.groups.patch`,
    true,
    (store, [p, h, g], ctx) => renderNccOperation(updateGroup(call(store, ctx), p!, h!, g!)),
  ),
  route(
    'GET',
    ncc(`global/hubs/${ID}/routeTables`),
    `${METHOD}.global.hubs.routeTables.list`,
    false,
    (store, [p, h], { query }) => {
      const hub = store.hub(hubName(p!, h!));
      const tables = [...hub.groups.values()].map((g) => renderRouteTable(hub, g.name, g.uid));
      return list(store, 'routeTables', tables, query);
    },
  ),
  route(
    'GET',
    ncc(`global/hubs/${ID}/routeTables/${ID}/routes`),
    `${METHOD}.global.hubs.routeTables.routes.list`,
    false,
    (store, [p, h, t], { query }) => {
      const hub = store.hub(hubName(p!, h!));
      if (!hub.groups.has(t!)) throw nccErrors.notFound(`${hubName(p!, h!)}/routeTables/${t}`);
      return list(store, 'routes', renderRoutes(store, hub, t!), query);
    },
  ),
  route('GET', ncc(`${ID}/spokes`), `${METHOD}.spokes.list`, false, (store, [p, l], { query }) => {
    const spokes = [...store.spokes.values()].filter((s) => s.project === p && (l === '-' || s.location === l));
    return list(
      store,
      'spokes',
      spokes.map((s) => renderSpoke(s)),
      query,
    );
  }),
  route('POST', ncc('global/spokes'), `${METHOD}.spokes.create`, true, (store, [p], ctx) =>
    renderNccOperation(createSpoke(call(store, ctx), p!)),
  ),
  route('GET', ncc(`${ID}/spokes/${ID}`), `${METHOD}.spokes.get`, false, (store, [p, l, s]) =>
    renderSpoke(store.spoke(spokeName(p!, l!, s!))),
  ),
  route('PATCH', ncc(`global/spokes/${ID}`), `${METHOD}.spokes.patch`, true, (store, [p, s], ctx) =>
    renderNccOperation(updateSpoke(call(store, ctx), p!, s!)),
  ),
  route('DELETE', ncc(`${ID}/spokes/${ID}`), `${METHOD}.spokes.delete`, true, (store, [p, l, s], ctx) =>
    renderNccOperation(deleteSpoke(call(store, ctx), p!, l!, s!)),
  ),
  route('GET', ncc(`${ID}/operations/${ID}`), `${METHOD}.operations.get`, false, (store, [p, l, o]) => {
    const name = `projects/${p}/locations/${l}/operations/${o}`;
    const op = store.operations.get(name);
    if (!op) throw nccErrors.notFound(name);
    return renderNccOperation(op);
  }),
];
