import { errors } from './googleError';
import { cidrsOverlap as rangesOverlap } from '../ranges';
import {
  keyOf,
  networkUrl,
  parseNetworkUrl,
  SELF_LINK_BASE,
  type NetworkRecord,
  type NextHop,
  type OperationRecord,
  type PeeringHalf,
} from './records';
import type { GcpEmulatorState } from './state';

/** Who is calling and what they sent: the pieces every mutating call needs. */
export interface CallContext {
  state: GcpEmulatorState;
  project: string;
  user: string;
  body: Record<string, unknown>;
}

const NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** `networkPeering.stackType`: IPV4_ONLY (the default) or IPV4_IPV6; anything else is refused as Compute refuses an unknown enum. */
function stackTypeOf(v: unknown, fallback: 'IPV4_ONLY' | 'IPV4_IPV6'): 'IPV4_ONLY' | 'IPV4_IPV6' {
  if (v === undefined) return fallback;
  if (v === 'IPV4_ONLY' || v === 'IPV4_IPV6') return v;
  throw errors.invalid(`Invalid value for field 'networkPeering.stackType': '${String(v)}'.`);
}

/** `networkPeering.updateStrategy`: UNSPECIFIED and absent mean INDEPENDENT. */
function updateStrategyOf(v: unknown): 'INDEPENDENT' | 'CONSENSUS' {
  if (v === undefined || v === 'UNSPECIFIED' || v === 'INDEPENDENT') return 'INDEPENDENT';
  if (v === 'CONSENSUS') return 'CONSENSUS';
  throw errors.invalid(`Invalid value for field 'networkPeering.updateStrategy': '${String(v)}'.`);
}

function requireNetwork(c: CallContext, network: string): NetworkRecord {
  const net = c.state.network(c.project, network);
  if (!net) throw errors.notFound(`projects/${c.project}/global/networks/${network}`);
  return net;
}

/** The `networkPeering` object of the request, or the legacy top-level `name` + `peerNetwork`. */
function peeringSpec(body: Record<string, unknown>): Record<string, unknown> {
  const nested = body.networkPeering;
  if (nested && typeof nested === 'object') return nested as Record<string, unknown>;
  return { name: body.name, network: body.peerNetwork, exchangeSubnetRoutes: body.autoCreateRoutes };
}

/** networks.insert (custom-mode networks only). */
export function insertNetwork(c: CallContext): OperationRecord {
  const name = str(c.body.name);
  if (!name || !NAME.test(name))
    throw errors.invalid(`Invalid value for field 'resource.name': '${String(c.body.name)}'.`);
  if (c.state.network(c.project, name)) throw errors.alreadyExists(`projects/${c.project}/global/networks/${name}`);
  return c.state.startOperation({
    project: c.project,
    method: 'compute.networks.insert',
    operationType: 'insert',
    targetLink: networkUrl(c.project, name),
    targetId: c.state.nextId(),
    user: c.user,
    request: c.body,
    effect: () => {
      if (c.state.network(c.project, name)) throw errors.alreadyExists(`projects/${c.project}/global/networks/${name}`);
      c.state.createNetwork({
        project: c.project,
        name,
        autoCreateSubnetworks: bool(c.body.autoCreateSubnetworks, false),
      });
    },
  });
}

/** networks.addPeering: adds this network's half; ACTIVE once the peer has added the reciprocal one. */
export function addPeering(c: CallContext, network: string): OperationRecord {
  const net = requireNetwork(c, network);
  const spec = peeringSpec(c.body);
  const name = str(spec.name);
  const peerUrl = str(spec.network);
  if (!name || !NAME.test(name))
    throw errors.invalid(`Invalid value for field 'networkPeering.name': '${String(spec.name)}'.`);
  const peer = peerUrl ? parseNetworkUrl(peerUrl) : undefined;
  if (!peer) throw errors.invalid(`Invalid value for field 'networkPeering.network': '${String(spec.network)}'.`);
  if (peer.project === c.project && peer.network === network)
    throw errors.badRequest('A network cannot be peered with itself.');
  const peerKey = keyOf(peer.project, peer.network);
  if (c.state.peeringOperationHolds([keyOf(c.project, network), peerKey])) throw errors.peeringInProgress();
  if (net.peerings.some((h) => h.name === name))
    throw errors.alreadyExists(`projects/${c.project}/global/networks/${network}/peerings/${name}`);
  if (net.peerings.some((h) => keyOf(h.peerProject, h.peerNetwork) === peerKey)) {
    throw errors.badRequest(`There is already a peering to the network '${peerUrl}'.`);
  }
  if (net.peerings.length >= c.state.quotas.peeringsPerNetwork)
    throw errors.quota('NETWORK_PEERINGS', c.state.quotas.peeringsPerNetwork);
  const peerNet = c.state.network(peer.project, peer.network);
  if (peerNet?.peerings.some((h) => h.peerProject === c.project && h.peerNetwork === network))
    refuseOverlap(c, network, peer);
  const half: Omit<PeeringHalf, 'since' | 'visibleAt'> = {
    name,
    peerProject: peer.project,
    peerNetwork: peer.network,
    exchangeSubnetRoutes: bool(spec.exchangeSubnetRoutes, true),
    exportCustomRoutes: bool(spec.exportCustomRoutes, false),
    importCustomRoutes: bool(spec.importCustomRoutes, false),
    exportSubnetRoutesWithPublicIp: bool(spec.exportSubnetRoutesWithPublicIp, true),
    importSubnetRoutesWithPublicIp: bool(spec.importSubnetRoutesWithPublicIp, false),
    stackType: stackTypeOf(spec.stackType, 'IPV4_ONLY'),
    updateStrategy: updateStrategyOf(spec.updateStrategy),
    deleteRequested: false,
  };
  return peeringOperation(c, net, 'addPeering', [peerKey], () => {
    if (net.peerings.some((h) => h.name === name))
      throw errors.alreadyExists(`projects/${c.project}/global/networks/${network}/peerings/${name}`);
    const now = c.state.now();
    net.peerings.push({ ...half, since: now, visibleAt: now.getTime() + c.state.visibilityDelayMs });
    const reciprocal = peerNet?.peerings.find((h) => h.peerProject === c.project && h.peerNetwork === network);
    if (reciprocal) reciprocal.since = now;
  });
}

function refuseOverlap(c: CallContext, network: string, peer: { project: string; network: string }): void {
  for (const local of c.state.networkRanges(c.project, network)) {
    for (const remote of c.state.networkRanges(peer.project, peer.network)) {
      if (rangesOverlap(local, remote)) {
        throw errors.badRequest(
          `An IP range in the peer network (${remote}) overlaps with an IP range in the local network (${local}) ` +
            `allocated by resource (projects/${c.project}/global/networks/${network}).`,
        );
      }
    }
  }
}

function peeringOperation(
  c: CallContext,
  net: NetworkRecord,
  type: string,
  peerKeys: string[],
  effect: () => void,
): OperationRecord {
  return c.state.startOperation({
    project: c.project,
    method: `compute.networks.${type}`,
    operationType: type,
    targetLink: networkUrl(c.project, net.name),
    targetId: net.id,
    user: c.user,
    request: c.body,
    locks: [keyOf(c.project, net.name), ...peerKeys],
    effect,
  });
}

function requireHalf(c: CallContext, net: NetworkRecord, name: string | undefined): PeeringHalf {
  const half = net.peerings.find((h) => h.name === name);
  if (!half) throw errors.notFound(`projects/${c.project}/global/networks/${net.name}/peerings/${String(name)}`);
  return half;
}

/**
 * networks.removePeering: drops this network's half; the peer's half turns INACTIVE. A CONSENSUS half
 * goes only once both networks have requested its removal (DELETE_ACKNOWLEDGED).
 */
export function removePeering(c: CallContext, network: string): OperationRecord {
  const net = requireNetwork(c, network);
  const name = str(c.body.name);
  const half = requireHalf(c, net, name);
  const peerKey = keyOf(half.peerProject, half.peerNetwork);
  if (c.state.peeringOperationHolds([keyOf(c.project, network), peerKey])) throw errors.peeringInProgress();
  const reciprocal = c.state.reciprocalOf(net, half);
  if (half.updateStrategy === 'CONSENSUS' && reciprocal && !(half.deleteRequested && reciprocal.deleteRequested)) {
    throw errors.badRequest(
      `Peering '${half.name}' uses the CONSENSUS update strategy: both networks must request its removal before it can be removed.`,
    );
  }
  return peeringOperation(c, net, 'removePeering', [peerKey], () => {
    const at = net.peerings.findIndex((h) => h.name === name);
    if (at < 0) throw errors.notFound(`projects/${c.project}/global/networks/${network}/peerings/${String(name)}`);
    net.peerings.splice(at, 1);
    const reciprocal = c.state
      .network(half.peerProject, half.peerNetwork)
      ?.peerings.find((h) => h.peerProject === c.project && h.peerNetwork === network);
    if (reciprocal) reciprocal.since = c.state.now();
  });
}

/** networks.requestRemovePeering: this network's admin agrees to remove a CONSENSUS peering. */
export function requestRemovePeering(c: CallContext, network: string): OperationRecord {
  const net = requireNetwork(c, network);
  const half = requireHalf(c, net, str(c.body.name));
  if (half.updateStrategy !== 'CONSENSUS')
    throw errors.badRequest(`Peering '${half.name}' does not use the CONSENSUS update strategy.`);
  const peerKey = keyOf(half.peerProject, half.peerNetwork);
  if (c.state.peeringOperationHolds([keyOf(c.project, network), peerKey])) throw errors.peeringInProgress();
  return peeringOperation(c, net, 'requestRemovePeering', [peerKey], () => {
    half.deleteRequested = true;
  });
}

/** networks.updatePeering: changes the route-exchange flags of this network's half. */
export function updatePeering(c: CallContext, network: string): OperationRecord {
  const net = requireNetwork(c, network);
  const spec = peeringSpec(c.body);
  const half = requireHalf(c, net, str(spec.name));
  const stack = stackTypeOf(spec.stackType, half.stackType);
  const peerKey = keyOf(half.peerProject, half.peerNetwork);
  if (c.state.peeringOperationHolds([keyOf(c.project, network), peerKey])) throw errors.peeringInProgress();
  return peeringOperation(c, net, 'updatePeering', [peerKey], () => {
    half.exportCustomRoutes = bool(spec.exportCustomRoutes, half.exportCustomRoutes);
    half.importCustomRoutes = bool(spec.importCustomRoutes, half.importCustomRoutes);
    half.exportSubnetRoutesWithPublicIp = bool(
      spec.exportSubnetRoutesWithPublicIp,
      half.exportSubnetRoutesWithPublicIp,
    );
    half.importSubnetRoutesWithPublicIp = bool(
      spec.importSubnetRoutesWithPublicIp,
      half.importSubnetRoutesWithPublicIp,
    );
    half.stackType = stack;
  });
}

function nextHopOf(body: Record<string, unknown>): NextHop {
  if (body.nextHopPeering !== undefined)
    throw errors.invalid("Invalid value for field 'resource.nextHopPeering': it is output only.");
  const gateway = str(body.nextHopGateway);
  if (gateway) return { nextHopGateway: gateway.startsWith('http') ? gateway : `${SELF_LINK_BASE}/${gateway}` };
  const ip = str(body.nextHopIp);
  if (ip) return { nextHopIp: ip };
  const instance = str(body.nextHopInstance);
  if (instance) return { nextHopInstance: instance };
  const ilb = str(body.nextHopIlb);
  if (ilb) return { nextHopIlb: ilb };
  const tunnel = str(body.nextHopVpnTunnel);
  if (tunnel) return { nextHopVpnTunnel: tunnel };
  throw errors.invalid("Invalid value for field 'resource': a route needs exactly one next hop.");
}

/** routes.insert. */
export function insertRoute(c: CallContext): OperationRecord {
  const name = str(c.body.name);
  if (!name || !NAME.test(name))
    throw errors.invalid(`Invalid value for field 'resource.name': '${String(c.body.name)}'.`);
  const target = str(c.body.network) ? parseNetworkUrl(String(c.body.network)) : undefined;
  if (!target || !c.state.network(target.project, target.network)) {
    throw errors.invalid(
      `Invalid value for field 'resource.network': '${String(c.body.network)}'. The referenced network resource cannot be found.`,
    );
  }
  const destRange = str(c.body.destRange) ?? '';
  if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(destRange))
    throw errors.invalid(`Invalid value for field 'resource.destRange': '${destRange}'.`);
  const nextHop = nextHopOf(c.body);
  const path = `projects/${c.project}/global/routes/${name}`;
  if (c.state.routes.has(keyOf(c.project, name))) throw errors.alreadyExists(path);
  const count = [...c.state.routes.values()].filter((r) => r.project === c.project).length;
  if (count >= c.state.quotas.routesPerProject) throw errors.quota('ROUTES', c.state.quotas.routesPerProject);
  const priority = typeof c.body.priority === 'number' ? c.body.priority : 1000;
  const tags = Array.isArray(c.body.tags) ? c.body.tags.map(String) : undefined;
  return c.state.startOperation({
    project: c.project,
    method: 'compute.routes.insert',
    operationType: 'insert',
    targetLink: `${SELF_LINK_BASE}/${path}`,
    targetId: c.state.nextId(),
    user: c.user,
    request: c.body,
    effect: () => {
      if (c.state.routes.has(keyOf(c.project, name))) throw errors.alreadyExists(path);
      c.state.addRoute({
        project: c.project,
        network: target.network,
        name,
        destRange,
        priority,
        nextHop,
        description: str(c.body.description) ?? '',
        ...(tags ? { tags } : {}),
      });
    },
  });
}

/** routes.delete. */
export function deleteRoute(c: CallContext, name: string): OperationRecord {
  const path = `projects/${c.project}/global/routes/${name}`;
  const route = c.state.routes.get(keyOf(c.project, name));
  if (!route) throw errors.notFound(path);
  return c.state.startOperation({
    project: c.project,
    method: 'compute.routes.delete',
    operationType: 'delete',
    targetLink: `${SELF_LINK_BASE}/${path}`,
    targetId: route.id,
    user: c.user,
    effect: () => {
      if (!c.state.routes.delete(keyOf(c.project, name))) throw errors.notFound(path);
    },
  });
}
