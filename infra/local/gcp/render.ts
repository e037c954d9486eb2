import { createHash } from 'node:crypto';
import {
  networkUrl,
  rfc3339,
  SELF_LINK_BASE,
  type NetworkRecord,
  type OperationRecord,
  type PeeringHalf,
  type ProjectRecord,
  type RouteRecord,
  type SubnetworkRecord,
} from './records';
import type { GcpEmulatorState } from './state';

/** Compute JSON of a network, peerings included (fields as in gcp-compute-networks-get-*.json). */
export function renderNetwork(state: GcpEmulatorState, n: NetworkRecord): Record<string, unknown> {
  const subnetworks = [...state.subnetworks.values()]
    .filter((s) => s.project === n.project && s.network === n.name && state.isVisible(s))
    .map((s) => `${SELF_LINK_BASE}/projects/${s.project}/regions/${s.region}/subnetworks/${s.name}`);
  const peerings = n.peerings
    .filter((h) => state.isVisible(h))
    .map((h) => {
      const st = state.peeringState(n, h);
      return {
        name: h.name,
        network: networkUrl(h.peerProject, h.peerNetwork),
        state: st,
        stateDetails: `[${rfc3339(h.since)}]: ${st === 'ACTIVE' ? 'Connected.' : 'Waiting for peer network to connect.'}`,
        autoCreateRoutes: true,
        exportCustomRoutes: h.exportCustomRoutes,
        importCustomRoutes: h.importCustomRoutes,
        exchangeSubnetRoutes: h.exchangeSubnetRoutes,
        exportSubnetRoutesWithPublicIp: h.exportSubnetRoutesWithPublicIp,
        importSubnetRoutesWithPublicIp: h.importSubnetRoutesWithPublicIp,
        stackType: h.stackType,
        updateStrategy: h.updateStrategy,
        connectionStatus: connectionStatus(state, n, h),
      };
    });
  return {
    kind: 'compute#network',
    id: n.id,
    creationTimestamp: rfc3339(n.creationTimestamp),
    name: n.name,
    ...(n.description !== undefined ? { description: n.description } : {}),
    selfLink: networkUrl(n.project, n.name),
    selfLinkWithId: networkUrl(n.project, n.id),
    autoCreateSubnetworks: n.autoCreateSubnetworks,
    mtu: n.mtu,
    subnetworks,
    ...(peerings.length > 0 ? { peerings } : {}),
    routingConfig: { routingMode: n.routingMode },
    networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL',
  };
}

/** The Consensus delete status of a half, as `connectionStatus.consensusState.deleteStatus` spells it. */
function deleteStatus(local: boolean, peer: boolean): string {
  if (local && peer) return 'DELETE_ACKNOWLEDGED';
  if (local) return 'LOCAL_DELETE_REQUESTED';
  return peer ? 'PEER_DELETE_REQUESTED' : 'DELETE_STATUS_UNSPECIFIED';
}

/**
 * The connection as a whole (Compute's NetworkPeeringConnectionStatus): what actually crosses it (IPv6
 * only when both halves are IPV4_IPV6) and, for CONSENSUS peerings, where a removal stands.
 */
function connectionStatus(state: GcpEmulatorState, n: NetworkRecord, h: PeeringHalf): Record<string, unknown> {
  const peer = state.reciprocalOf(n, h);
  const consensus = h.updateStrategy === 'CONSENSUS';
  return {
    updateStrategy: h.updateStrategy,
    trafficConfiguration: {
      exportCustomRoutesToPeer: h.exportCustomRoutes,
      importCustomRoutesFromPeer: h.importCustomRoutes && (peer?.exportCustomRoutes ?? false),
      exportSubnetRoutesWithPublicIpToPeer: h.exportSubnetRoutesWithPublicIp,
      importSubnetRoutesWithPublicIpFromPeer: h.importSubnetRoutesWithPublicIp,
      stackType: h.stackType === 'IPV4_IPV6' && peer?.stackType === 'IPV4_IPV6' ? 'IPV4_IPV6' : 'IPV4_ONLY',
    },
    ...(consensus
      ? {
          consensusState: {
            deleteStatus: deleteStatus(h.deleteRequested, peer?.deleteRequested ?? false),
            updateStatus: 'IN_SYNC',
          },
        }
      : {}),
  };
}

/** Compute JSON of a subnetwork. */
export function renderSubnetwork(s: SubnetworkRecord): Record<string, unknown> {
  const self = `${SELF_LINK_BASE}/projects/${s.project}/regions/${s.region}/subnetworks/${s.name}`;
  const v6 = s.ipv6CidrRange
    ? {
        ipv6CidrRange: s.ipv6CidrRange,
        ipv6AccessType: s.ipv6AccessType,
        [s.ipv6AccessType === 'EXTERNAL' ? 'externalIpv6Prefix' : 'internalIpv6Prefix']: s.ipv6CidrRange,
      }
    : {};
  return {
    kind: 'compute#subnetwork',
    id: s.id,
    creationTimestamp: rfc3339(s.creationTimestamp),
    name: s.name,
    network: networkUrl(s.project, s.network),
    ipCidrRange: s.ipCidrRange,
    gatewayAddress: s.ipCidrRange.replace(/\.\d+\/\d+$/, '.1'),
    region: `${SELF_LINK_BASE}/projects/${s.project}/regions/${s.region}`,
    selfLink: self,
    privateIpGoogleAccess: false,
    ...(s.secondaryIpRanges.length > 0 ? { secondaryIpRanges: s.secondaryIpRanges } : {}),
    fingerprint: createHash('sha256').update(self).digest('base64').slice(0, 11) + '=',
    purpose: 'PRIVATE',
    stackType: s.ipv6CidrRange ? 'IPV4_IPV6' : 'IPV4_ONLY',
    ...v6,
  };
}

/** Compute JSON of a stored static route. */
export function renderRoute(r: RouteRecord): Record<string, unknown> {
  return {
    kind: 'compute#route',
    id: r.id,
    creationTimestamp: rfc3339(r.creationTimestamp),
    name: r.name,
    description: r.description,
    network: networkUrl(r.project, r.network),
    ...(r.tags ? { tags: r.tags } : {}),
    destRange: r.destRange,
    priority: r.priority,
    ...r.nextHop,
    selfLink: `${SELF_LINK_BASE}/projects/${r.project}/global/routes/${r.name}`,
  };
}

/**
 * Routes a network learns over its ACTIVE peerings, as routes.list shows them (`peering-route-…`,
 * priority 0, nextHopPeering; see gcp-compute-routes-list-with-peering-route.json): the peer's subnet
 * ranges always, and the peer's custom static routes when the peer exports and this side imports.
 */
export function peeringRoutes(state: GcpEmulatorState, project: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const net of state.networks.values()) {
    if (net.project !== project) continue;
    for (const half of net.peerings) {
      if (state.peeringState(net, half) !== 'ACTIVE') continue;
      const peer = state.network(half.peerProject, half.peerNetwork)!;
      const reciprocal = state.reciprocalOf(net, half)!;
      // IPv6 subnet routes cross only when both halves are IPV4_IPV6 (the API's default is IPV4_ONLY).
      const ipv4Only = half.stackType !== 'IPV4_IPV6' || reciprocal.stackType !== 'IPV4_IPV6';
      const learned: { destRange: string; priority: number }[] = state
        .networkRanges(peer.project, peer.name, ipv4Only)
        .map((destRange) => ({ destRange, priority: 0 }));
      if (half.importCustomRoutes && reciprocal.exportCustomRoutes) {
        for (const r of state.routes.values()) {
          if (
            r.project === peer.project &&
            r.network === peer.name &&
            !('nextHopGateway' in r.nextHop) &&
            !(ipv4Only && r.destRange.includes(':'))
          ) {
            learned.push({ destRange: r.destRange, priority: r.priority });
          }
        }
      }
      for (const l of learned) {
        const name = `peering-route-${createHash('sha256').update(`${project}/${net.name}/${half.name}/${l.destRange}`).digest('hex').slice(0, 16)}`;
        out.push({
          kind: 'compute#route',
          id: BigInt(`0x${name.slice(-15)}`).toString(),
          creationTimestamp: rfc3339(half.since),
          name,
          description: `Auto generated route via peering [${half.name}].`,
          network: networkUrl(project, net.name),
          destRange: l.destRange,
          priority: l.priority,
          nextHopPeering: half.name,
          selfLink: `${SELF_LINK_BASE}/projects/${project}/global/routes/${name}`,
        });
      }
    }
  }
  return out;
}

/** The reason phrases Compute writes in `httpErrorMessage` (upper case, as in its operations). */
const HTTP_REASON: Record<number, string> = {
  400: 'BAD REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION FAILED',
  429: 'TOO MANY REQUESTS',
  500: 'INTERNAL SERVER ERROR',
  503: 'SERVICE UNAVAILABLE',
};

/** Compute JSON of a global operation. */
export function renderOperation(op: OperationRecord): Record<string, unknown> {
  return {
    kind: 'compute#operation',
    id: op.id,
    name: op.name,
    operationType: op.operationType,
    targetLink: op.targetLink,
    targetId: op.targetId,
    status: op.status,
    user: op.user,
    progress: op.status === 'DONE' ? 100 : 0,
    insertTime: rfc3339(op.insertTime),
    ...(op.startTime ? { startTime: rfc3339(op.startTime) } : {}),
    ...(op.endTime ? { endTime: rfc3339(op.endTime) } : {}),
    ...(op.error
      ? {
          error: { errors: [op.error] },
          httpErrorStatusCode: op.httpError ?? 400,
          httpErrorMessage: HTTP_REASON[op.httpError ?? 400] ?? 'BAD REQUEST',
        }
      : {}),
    selfLink: `${SELF_LINK_BASE}/projects/${op.project}/global/operations/${op.name}`,
  };
}

/** Cloud Resource Manager v1 JSON of a project. */
export function renderProject(p: ProjectRecord): Record<string, unknown> {
  return {
    projectNumber: p.number,
    projectId: p.id,
    lifecycleState: 'ACTIVE',
    name: p.name,
    createTime: p.createTime.toISOString(),
    ...(Object.keys(p.labels).length > 0 ? { labels: p.labels } : {}),
    ...(p.parent ? { parent: p.parent } : {}),
  };
}
