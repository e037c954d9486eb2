import { createHash } from 'node:crypto';
import {
  type Attachment,
  type AttachmentState,
  type Interconnect,
  type NetworkRef,
  type TransitHub,
  type TransitHubRef,
  type TransitRoute,
} from '../../model';
import { gcpNetworkRef, parseNetworkUrl } from './toModel';

/** The fields of the Network Connectivity v1 resources peerkeeper reads (discovery document names). */
export interface NccHubJson {
  name: string;
  labels?: Record<string, string>;
  state?: string;
}
export interface NccGroupJson {
  name: string;
  routeTable?: string;
  autoAccept?: { autoAcceptProjects?: string[] };
  labels?: Record<string, string>;
}
export interface NccSpokeJson {
  name: string;
  hub?: string;
  group?: string;
  labels?: Record<string, string>;
  linkedVpcNetwork?: { uri: string; excludeExportRanges?: string[]; includeExportRanges?: string[] };
  linkedVpnTunnels?: { uris?: string[] };
  linkedInterconnectAttachments?: { uris?: string[] };
  linkedRouterApplianceInstances?: { instances?: { virtualMachine?: string }[] };
  state?: string;
  reasons?: { code?: string; message?: string; userDetails?: string }[];
  spokeType?: string;
}
export interface NccRouteJson {
  ipCidrRange?: string;
  type?: string;
  spoke?: string;
  state?: string;
  nextHopVpcNetwork?: { uri?: string };
  nextHopVpnTunnel?: { uri?: string };
  nextHopInterconnectAttachment?: { uri?: string };
  nextHopRouterApplianceInstance?: { uri?: string };
}

/** The last segment of a resource name (`…/groups/default` → `default`). */
export const shortName = (name: string): string => name.split('/').pop() ?? name;

/** A hub ref: the hub's project, `global`, and its full name. */
export function hubRefOf(name: string): TransitHubRef {
  const project = /^projects\/([^/]+)\//.exec(name)?.[1] ?? '';
  return { cloud: 'gcp', account: project, region: 'global', id: name };
}

/** A hub's full name from a ref whose id may be the short hub name (policy allows both). */
export function hubNameOf(ref: TransitHubRef): string {
  return ref.id.startsWith('projects/') ? ref.id : `projects/${ref.account}/locations/global/hubs/${ref.id}`;
}

/**
 * GCP label keys and values allow only lowercase letters, digits, `_` and `-` (no `:`): peerkeeper's tags
 * `peerkeeper:managed` / `peerkeeper:connection` are the labels `peerkeeper-managed` / `peerkeeper-connection`, values
 * lowercased with other characters as `-`. Other tags pass when they already are valid labels.
 */
export function labelsFromTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const label = (v: string): string =>
    v
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '-')
      .slice(0, 63);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    const k = key.startsWith('peerkeeper:') ? `peerkeeper-${key.slice('peerkeeper:'.length)}` : key;
    if (/^[a-z][a-z0-9_-]{0,62}$/.test(k)) out[k] = label(value);
  }
  return out;
}

export function tagsFromLabels(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {}))
    out[key.startsWith('peerkeeper-') ? `peerkeeper:${key.slice('peerkeeper-'.length)}` : key] = value;
  return out;
}

/** The spoke id peerkeeper gives a network's spoke: `peerkeeper-<network>`, hashed when it would pass 63 characters. */
export function managedSpokeId(network: NetworkRef): string {
  const id = `peerkeeper-${network.id}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (id.length <= 63) return id.replace(/-+$/, '') || 'peerkeeper';
  const hash = createHash('sha256').update(network.id).digest('hex').slice(0, 8);
  return `${id.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** ACTIVE → active; INACTIVE for review → requested, rejected → rejected; in-flight states → pending. */
export function spokeStateOf(s: NccSpokeJson): AttachmentState {
  const codes = (s.reasons ?? []).map((r) => r.code);
  switch (s.state) {
    case 'ACTIVE':
      return 'active';
    case 'INACTIVE':
      return codes.includes('REJECTED') ? 'rejected' : codes.includes('PENDING_REVIEW') ? 'requested' : 'failed';
    case 'CREATING':
    case 'ACCEPTING':
    case 'REJECTING':
    case 'UPDATING':
      return 'pending';
    case 'DELETING':
    case 'OBSOLETE':
      return 'deleted';
    default:
      return 'failed';
  }
}

/** The network a VPC spoke links, as the Compute side names it. */
export function spokeNetwork(s: NccSpokeJson): NetworkRef | undefined {
  const net = s.linkedVpcNetwork?.uri ? parseNetworkUrl(s.linkedVpcNetwork.uri) : undefined;
  return net ? gcpNetworkRef(net.project, net.network) : undefined;
}

/** A VPC spoke as an attachment (undefined for hybrid spokes, which are interconnects). */
export function toAttachment(s: NccSpokeJson): Attachment | undefined {
  const network = spokeNetwork(s);
  if (!network || !s.hub) return undefined;
  const filters = s.linkedVpcNetwork!;
  const reason = s.reasons?.[0];
  const message = reason ? [reason.message, reason.userDetails].filter(Boolean).join(': ') : undefined;
  return {
    id: s.name,
    cloud: 'gcp',
    hub: hubRefOf(s.hub),
    network,
    state: spokeStateOf(s),
    ...(s.group ? { association: shortName(s.group) } : {}),
    propagations: [],
    ...(filters.excludeExportRanges?.length || filters.includeExportRanges?.length
      ? {
          exportFilters: {
            ...(filters.excludeExportRanges?.length ? { exclude: [...filters.excludeExportRanges] } : {}),
            ...(filters.includeExportRanges?.length ? { include: [...filters.includeExportRanges] } : {}),
          },
        }
      : {}),
    tags: tagsFromLabels(s.labels),
    ...(message ? { message } : {}),
  };
}

/** A hybrid spoke as an interconnect of its hub (BASIC view: by `spokeType`; else by its linked resources). */
export function toInterconnect(s: NccSpokeJson): Interconnect | undefined {
  const kind =
    s.spokeType === 'VPN_TUNNEL' || s.linkedVpnTunnels
      ? 'vpn'
      : s.spokeType === 'INTERCONNECT_ATTACHMENT' || s.linkedInterconnectAttachments
        ? 'interconnect'
        : s.spokeType === 'ROUTER_APPLIANCE' || s.linkedRouterApplianceInstances
          ? 'hybrid-spoke'
          : undefined;
  if (!kind) return undefined;
  return { id: s.name, kind, name: shortName(s.name), state: s.state === 'ACTIVE' ? 'active' : 'other' };
}

/**
 * One route of a hub route table: a VPC spoke's subnet route targets the spoke (propagated); a dynamic route learned
 * over a hybrid spoke, or anything else, targets the spoke or next hop it names (static: someone else's link).
 */
export function toTransitRoute(r: NccRouteJson): TransitRoute | undefined {
  if (!r.ipCidrRange) return undefined;
  const subnet = r.type === 'VPC_PRIMARY_SUBNET' || r.type === 'VPC_SECONDARY_SUBNET';
  const state = r.state === 'ACTIVE' ? { state: 'active' as const } : {};
  if (subnet && r.spoke)
    return {
      destination: r.ipCidrRange,
      target: { kind: 'attachment', attachmentId: r.spoke },
      origin: 'propagated',
      ...state,
    };
  const hop =
    r.spoke ??
    r.nextHopVpnTunnel?.uri ??
    r.nextHopInterconnectAttachment?.uri ??
    r.nextHopRouterApplianceInstance?.uri ??
    r.nextHopVpcNetwork?.uri ??
    'unknown';
  return { destination: r.ipCidrRange, target: { kind: 'other', id: hop }, origin: 'static', ...state };
}

/**
 * An NCC hub in the model: one route table per group (id = the group's name, autoAccept = its auto-accept projects),
 * holding the routes of the hub route table the group routes through (`Group.routeTable`; a mesh hub's `default`
 * group and route table), and its hybrid spokes as interconnects.
 */
export function toTransitHub(
  hub: NccHubJson,
  groups: readonly { group: NccGroupJson; routes: readonly NccRouteJson[] }[],
  spokes: readonly NccSpokeJson[],
): TransitHub {
  return {
    ref: hubRefOf(hub.name),
    name: shortName(hub.name),
    tags: tagsFromLabels(hub.labels),
    routeTables: groups.map(({ group, routes }) => ({
      id: shortName(group.name),
      name: shortName(group.name),
      tags: tagsFromLabels(group.labels),
      routes: routes.map(toTransitRoute).filter((r): r is TransitRoute => r !== undefined),
      autoAccept: [...(group.autoAccept?.autoAcceptProjects ?? [])],
    })),
    interconnects: spokes.map(toInterconnect).filter((i): i is Interconnect => i !== undefined),
  };
}
