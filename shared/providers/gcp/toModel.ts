import {
  MANAGED_TAG,
  networkKey,
  type Network,
  type NetworkRef,
  type Peering,
  type PeeringState,
  type Route,
} from '../../model';

/** The fields of a Compute network peering (one half) that peerkeeper reads (Compute v1 `NetworkPeering`). */
export interface GcpPeeringJson {
  name: string;
  network: string;
  state?: 'ACTIVE' | 'INACTIVE';
  stateDetails?: string;
  exportCustomRoutes?: boolean;
  importCustomRoutes?: boolean;
  /** Absent = IPV4_ONLY, the API's default. */
  stackType?: 'IPV4_ONLY' | 'IPV4_IPV6';
  /** Absent or UNSPECIFIED = INDEPENDENT. */
  updateStrategy?: 'INDEPENDENT' | 'CONSENSUS' | 'UNSPECIFIED';
  /** Output only: the connection as a whole, with a CONSENSUS peering's pending delete/update. */
  connectionStatus?: {
    updateStrategy?: string;
    consensusState?: { deleteStatus?: ConsensusDeleteStatus; updateStatus?: string };
    trafficConfiguration?: { stackType?: string };
  };
}
/** Compute's `NetworkPeeringConnectionStatusConsensusState.deleteStatus`. */
export type ConsensusDeleteStatus =
  'DELETE_ACKNOWLEDGED' | 'LOCAL_DELETE_REQUESTED' | 'PEER_DELETE_REQUESTED' | 'DELETE_STATUS_UNSPECIFIED';
export interface GcpNetworkJson {
  name: string;
  peerings?: GcpPeeringJson[];
}
export interface GcpSubnetworkJson {
  network: string;
  ipCidrRange?: string;
  secondaryIpRanges?: { rangeName?: string; ipCidrRange: string }[];
  internalIpv6Prefix?: string;
  externalIpv6Prefix?: string;
}
export interface GcpRouteJson {
  name: string;
  network: string;
  destRange: string;
  priority?: number;
  nextHopPeering?: string;
  nextHopGateway?: string;
  nextHopIp?: string;
  nextHopInstance?: string;
  nextHopIlb?: string;
  nextHopVpnTunnel?: string;
  nextHopHub?: string;
}

/** The one route table a GCP network has in the model: its static routes (GCP has no route tables). */
export const GCP_ROUTE_TABLE_ID = 'routes';
/** Peerings peerkeeper creates carry this name prefix: GCP peerings have no labels to mark them. */
export const MANAGED_PEERING_PREFIX = 'peerkeeper-';

/** Parses `…projects/{p}/global/networks/{n}` from a full URL (any host) or a partial path. */
export function parseNetworkUrl(url: string): { project: string; network: string } | undefined {
  const m = /(?:^|\/)projects\/([^/]+)\/global\/networks\/([^/?#]+)$/.exec(url);
  return m ? { project: m[1]!, network: m[2]! } : undefined;
}

/** GCP networks are global: region is always 'global', id the network name. */
export function gcpNetworkRef(project: string, network: string): NetworkRef {
  return { cloud: 'gcp', account: project, region: 'global', id: network };
}

/** The partial resource path (relative to the Compute endpoint) of a network. */
export function networkPath(ref: NetworkRef): string {
  return `projects/${ref.account}/global/networks/${ref.id}`;
}

/** Compute names resources by full URLs on this base, whichever endpoint serves the call (see the fixtures' selfLinks). */
export const COMPUTE_RESOURCE_BASE = 'https://www.googleapis.com/compute/v1';

/** The full network URL the Compute v1 reference documents for `networkPeering.network` and `route.network`. */
export function networkUrl(ref: NetworkRef): string {
  return `${COMPUTE_RESOURCE_BASE}/${networkPath(ref)}`;
}

/** Peering.id of a half: `projects/{p}/global/networks/{n}/peerings/{name}`. */
export function halfId(owner: NetworkRef, name: string): string {
  return `${networkPath(owner)}/peerings/${name}`;
}

/**
 * The name peerkeeper gives the half pointing at `peer`: `peerkeeper-<project>-<network>`, cut to
 * Compute's 63 characters and to RFC 1035 (lowercase, starts with a letter, no trailing dash).
 */
export function managedPeeringName(peer: NetworkRef): string {
  const raw = `${MANAGED_PEERING_PREFIX}${peer.account}-${peer.id}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return raw.slice(0, 63).replace(/-+$/, '');
}

/** One half as observed, with both ends resolved. */
export interface PeeringHalfView {
  owner: NetworkRef;
  peer: NetworkRef;
  json: GcpPeeringJson;
}

/** The halves on a project's networks. */
export function halvesOf(project: string, networks: readonly GcpNetworkJson[]): PeeringHalfView[] {
  const out: PeeringHalfView[] = [];
  for (const n of networks) {
    for (const p of n.peerings ?? []) {
      const peer = parseNetworkUrl(p.network);
      if (peer)
        out.push({ owner: gcpNetworkRef(project, n.name), peer: gcpNetworkRef(peer.project, peer.network), json: p });
    }
  }
  return out;
}

const label = (ref: NetworkRef): string => `${ref.account}/${ref.id}`;
const halfState = (h: PeeringHalfView): PeeringState => (h.json.state === 'ACTIVE' ? 'active' : 'requested');

/**
 * One Peering per network pair. Both halves: requester = the smaller `project/network`, active when
 * both are ACTIVE. One half: its owner is the requester and its own state says whether the unseen
 * peer half exists. Options are true only when every observed half has them (drift on either side shows).
 */
export function toPeerings(halves: readonly PeeringHalfView[]): Peering[] {
  const pairs = new Map<string, PeeringHalfView[]>();
  for (const h of halves) {
    const key = [networkKey(h.owner), networkKey(h.peer)].sort().join('|');
    const list = pairs.get(key) ?? [];
    if (!list.some((x) => networkKey(x.owner) === networkKey(h.owner))) list.push(h);
    pairs.set(key, list);
  }
  const out: Peering[] = [];
  for (const list of pairs.values()) {
    const sorted = [...list].sort((a, b) => (label(a.owner) < label(b.owner) ? -1 : 1));
    const requester = sorted[0]!;
    const state: PeeringState =
      sorted.length === 2
        ? sorted.every((h) => h.json.state === 'ACTIVE')
          ? 'active'
          : 'requested'
        : halfState(requester);
    const managed = sorted.some((h) => h.json.name.startsWith(MANAGED_PEERING_PREFIX));
    const consensus = sorted.find((h) => strategyOf(h.json) === 'CONSENSUS');
    const message = [requester.json.stateDetails, consensus ? consensusNote(consensus) : undefined]
      .filter((m) => m !== undefined)
      .join('; ');
    out.push({
      id: halfId(requester.owner, requester.json.name),
      cloud: 'gcp',
      requester: requester.owner,
      accepter: requester.peer,
      state,
      options: {
        exportCustomRoutes: sorted.every((h) => h.json.exportCustomRoutes === true),
        importCustomRoutes: sorted.every((h) => h.json.importCustomRoutes === true),
        // IPv6 crosses only when every half asks for it: one IPV4_ONLY half keeps the link IPv4-only.
        stackType: sorted.every((h) => h.json.stackType === 'IPV4_IPV6') ? 'IPV4_IPV6' : 'IPV4_ONLY',
      },
      tags: managed ? { [MANAGED_TAG]: 'true' } : {},
      ...(message ? { message } : {}),
      ...(consensus ? { updateStrategy: 'CONSENSUS' as const } : {}),
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** A half's update strategy; UNSPECIFIED and absent mean INDEPENDENT (Compute v1 reference). */
export function strategyOf(half: GcpPeeringJson): 'INDEPENDENT' | 'CONSENSUS' {
  return half.updateStrategy === 'CONSENSUS' || half.connectionStatus?.updateStrategy === 'CONSENSUS'
    ? 'CONSENSUS'
    : 'INDEPENDENT';
}

/** Where a CONSENSUS half's removal stands; absent = nobody asked yet. */
export function deleteStatusOf(half: GcpPeeringJson): ConsensusDeleteStatus | undefined {
  const status = half.connectionStatus?.consensusState?.deleteStatus;
  return status === 'DELETE_STATUS_UNSPECIFIED' ? undefined : status;
}

function consensusNote(h: PeeringHalfView): string {
  const status = deleteStatusOf(h.json);
  return `CONSENSUS update strategy (on ${label(h.owner)})${status ? `: removal ${status}` : ''}`;
}

/** A stable id for a route's next hop (`gateway:projects/p/global/gateways/default-internet-gateway`, `ip:10.0.0.2`, …). */
export function nextHopId(r: GcpRouteJson): string {
  const strip = (u: string): string => u.replace(/^https?:\/\/[^/]+\/compute\/v1\//, '');
  if (r.nextHopGateway) return `gateway:${strip(r.nextHopGateway)}`;
  if (r.nextHopIp) return `ip:${r.nextHopIp}`;
  if (r.nextHopInstance) return `instance:${strip(r.nextHopInstance)}`;
  if (r.nextHopIlb) return `ilb:${strip(r.nextHopIlb)}`;
  if (r.nextHopVpnTunnel) return `vpnTunnel:${strip(r.nextHopVpnTunnel)}`;
  if (r.nextHopHub) return `hub:${strip(r.nextHopHub)}`;
  return `route:${r.name}`;
}

/**
 * Every range of a subnet: primary, secondary and IPv6. IPv6 comes from `internalIpv6Prefix` (ULA) and
 * `externalIpv6Prefix` (GUA), the fields the Compute v1 reference documents; `ipv6CidrRange` is output for
 * internal use there and is not read.
 */
export function subnetRanges(s: GcpSubnetworkJson): string[] {
  const v6 = [
    ...new Set(
      [s.internalIpv6Prefix, s.externalIpv6Prefix].filter((p): p is string => typeof p === 'string' && p !== ''),
    ),
  ];
  return [...(s.ipCidrRange ? [s.ipCidrRange] : []), ...(s.secondaryIpRanges ?? []).map((r) => r.ipCidrRange), ...v6];
}

/**
 * A network in the model. Its static routes form one RouteTable `routes` (main); routes with a
 * nextHopPeering are the ones the peering exchanges (origin propagated, target the Peering).
 */
export function toNetwork(
  project: string,
  net: GcpNetworkJson,
  subnets: readonly GcpSubnetworkJson[],
  routes: readonly GcpRouteJson[],
  peeringIdOf: (owner: NetworkRef, halfName: string) => string,
): Network {
  const ref = gcpNetworkRef(project, net.name);
  const mine = (url: string): boolean => {
    const p = parseNetworkUrl(url);
    return p !== undefined && p.project === project && p.network === net.name;
  };
  const cidrs = [...new Set(subnets.filter((s) => mine(s.network)).flatMap(subnetRanges))];
  const modelRoutes: Route[] = routes
    .filter((r) => mine(r.network))
    .map((r) =>
      r.nextHopPeering
        ? {
            destination: r.destRange,
            target: { kind: 'peering', peeringId: peeringIdOf(ref, r.nextHopPeering) },
            origin: 'propagated',
          }
        : { destination: r.destRange, target: { kind: 'other', id: nextHopId(r) }, origin: 'static' },
    );
  return {
    ref,
    name: net.name,
    cidrs,
    tags: {},
    routeTables: [{ id: GCP_ROUTE_TABLE_ID, network: ref, main: true, tags: {}, routes: modelRoutes }],
  };
}
