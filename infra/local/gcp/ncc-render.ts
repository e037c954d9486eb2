import { parseRange } from '../ranges';
import {
  hubName,
  NCC_TYPE,
  spokeName,
  type NccHubRecord,
  type NccOperationRecord,
  type NccSpokeRecord,
} from './ncc-records';
import type { NccStore } from './ncc-state';
import { networkUrl } from './records';

/** protobuf Timestamps: RFC 3339 in UTC with a Z. */
const stamp = (d: Date): string => d.toISOString();
const nonEmpty = <K extends string>(key: K, list: readonly string[]): Partial<Record<K, string[]>> =>
  list.length > 0 ? ({ [key]: [...list] } as Partial<Record<K, string[]>>) : {};

/** Hub JSON (fields of the discovery document's Hub). */
export function renderHub(store: NccStore, hub: NccHubRecord): Record<string, unknown> {
  const name = hubName(hub.project, hub.name);
  const vpcs = [...store.spokes.values()]
    .filter((s) => s.hub === name && s.vpc)
    .map((s) => ({ uri: networkUrl(s.vpc!.project, s.vpc!.network) }));
  return {
    name,
    createTime: stamp(hub.createTime),
    updateTime: stamp(hub.createTime),
    labels: hub.labels,
    ...(hub.description ? { description: hub.description } : {}),
    uniqueId: hub.uniqueId,
    state: 'ACTIVE',
    routeTables: [...hub.groups.keys()].map((g) => `${name}/routeTables/${g}`),
    ...(vpcs.length > 0 ? { routingVpcs: vpcs } : {}),
    policyMode: 'PRESET',
    presetTopology: hub.presetTopology,
  };
}

/** Group JSON: each group routes through the route table of the same name. */
export function renderGroup(hub: NccHubRecord, group: string): Record<string, unknown> {
  const g = hub.groups.get(group)!;
  const name = hubName(hub.project, hub.name);
  return {
    name: `${name}/groups/${g.name}`,
    createTime: stamp(g.createTime),
    updateTime: stamp(g.updateTime),
    labels: g.labels,
    uid: g.uid,
    state: 'ACTIVE',
    autoAccept: { ...nonEmpty('autoAcceptProjects', g.autoAcceptProjects) },
    routeTable: `${name}/routeTables/${g.name}`,
  };
}

export function renderRouteTable(hub: NccHubRecord, table: string, uid: string): Record<string, unknown> {
  return {
    name: `${hubName(hub.project, hub.name)}/routeTables/${table}`,
    createTime: stamp(hub.createTime),
    updateTime: stamp(hub.createTime),
    labels: {},
    uid,
    state: 'ACTIVE',
  };
}

/**
 * What a client sees of a spoke. `full` (spokes.get / spokes.list in its project); `DETAILED` (hubs.listSpokes):
 * every field but labels; `BASIC` (listSpokes' default): name, createTime, hub, uniqueId, state, reasons and
 * spokeType, as the SpokeView enum describes the two views.
 */
export function renderSpoke(s: NccSpokeRecord, view: 'full' | 'DETAILED' | 'BASIC' = 'full'): Record<string, unknown> {
  const name = spokeName(s.project, s.location, s.name);
  const basic = {
    name,
    createTime: stamp(s.createTime),
    hub: s.hub,
    uniqueId: s.uniqueId,
    state: s.state,
    ...(s.reasons.length > 0 ? { reasons: s.reasons.map((r) => ({ ...r })) } : {}),
    spokeType: s.vpc ? 'VPC_NETWORK' : HYBRID_TYPE[s.hybrid!.kind],
  };
  if (view === 'BASIC') return basic;
  return {
    ...basic,
    updateTime: stamp(s.updateTime),
    ...(view === 'full' ? { labels: s.labels } : {}),
    ...(s.description ? { description: s.description } : {}),
    group: `${s.hub}/groups/${s.group}`,
    ...(s.vpc
      ? {
          linkedVpcNetwork: {
            uri: networkUrl(s.vpc.project, s.vpc.network),
            ...nonEmpty('excludeExportRanges', s.vpc.excludeExportRanges),
            ...nonEmpty('includeExportRanges', s.vpc.includeExportRanges),
          },
        }
      : {}),
    ...(s.hybrid ? linkedHybrid(s.hybrid) : {}),
  };
}

const HYBRID_TYPE = {
  vpn: 'VPN_TUNNEL',
  interconnect: 'INTERCONNECT_ATTACHMENT',
  'router-appliance': 'ROUTER_APPLIANCE',
};

function linkedHybrid(h: NonNullable<NccSpokeRecord['hybrid']>): Record<string, unknown> {
  const common = { siteToSiteDataTransfer: false, vpcNetwork: h.vpcNetwork };
  if (h.kind === 'vpn') return { linkedVpnTunnels: { uris: h.uris, ...common } };
  if (h.kind === 'interconnect') return { linkedInterconnectAttachments: { uris: h.uris, ...common } };
  return {
    linkedRouterApplianceInstances: {
      instances: h.uris.map((virtualMachine) => ({ virtualMachine, ipAddress: '10.0.0.2' })),
      ...common,
    },
  };
}

const within = (inner: string, outer: string): boolean => {
  const a = parseRange(inner);
  const b = parseRange(outer);
  return a !== undefined && b !== undefined && a.v6 === b.v6 && b.first <= a.first && a.last <= b.last;
};

/**
 * The subnet ranges a VPC spoke exports to the hub: primary and secondary IPv4 ranges of its network's subnets, less
 * those inside an exclude range and, when include ranges are set, only those inside one.
 */
export function exportedRanges(
  store: NccStore,
  s: NccSpokeRecord,
): { range: string; region: string; type: 'VPC_PRIMARY_SUBNET' | 'VPC_SECONDARY_SUBNET' }[] {
  if (!s.vpc) return [];
  const { project, network, excludeExportRanges, includeExportRanges } = s.vpc;
  const out: { range: string; region: string; type: 'VPC_PRIMARY_SUBNET' | 'VPC_SECONDARY_SUBNET' }[] = [];
  for (const sub of store.gcp.subnetworks.values()) {
    if (sub.project !== project || sub.network !== network) continue;
    out.push({ range: sub.ipCidrRange, region: sub.region, type: 'VPC_PRIMARY_SUBNET' });
    for (const r of sub.secondaryIpRanges)
      out.push({ range: r.ipCidrRange, region: sub.region, type: 'VPC_SECONDARY_SUBNET' });
  }
  return out.filter(
    (r) =>
      !excludeExportRanges.some((x) => within(r.range, x)) &&
      (includeExportRanges.length === 0 || includeExportRanges.some((x) => within(r.range, x))),
  );
}

/** True when a spoke's routes land in a route table: its own group's; STAR hubs also share center routes with edge. */
function routesInto(hub: NccHubRecord, spoke: NccSpokeRecord, table: string): boolean {
  if (hub.presetTopology === 'STAR') return table === 'center' || spoke.group === 'center';
  return spoke.group === table;
}

/** A route table's routes: subnet routes of the ACTIVE VPC spokes, then dynamic routes learned over hybrid spokes. */
export function renderRoutes(store: NccStore, hub: NccHubRecord, table: string): Record<string, unknown>[] {
  const hubFull = hubName(hub.project, hub.name);
  const prefix = `${hubFull}/routeTables/${table}/routes`;
  const out: Record<string, unknown>[] = [];
  for (const s of store.spokes.values()) {
    if (s.hub !== hubFull || s.state !== 'ACTIVE' || !s.vpc || !routesInto(hub, s, table)) continue;
    const spoke = spokeName(s.project, s.location, s.name);
    for (const r of exportedRanges(store, s)) {
      const uid = store.uid(`${spoke}|${r.range}`);
      out.push({
        name: `${prefix}/${uid}`,
        createTime: stamp(s.updateTime),
        updateTime: stamp(s.updateTime),
        ipCidrRange: r.range,
        type: r.type,
        nextHopVpcNetwork: { uri: networkUrl(s.vpc.project, s.vpc.network) },
        location: `projects/${s.project}/locations/${r.region}`,
        spoke,
        state: 'ACTIVE',
        uid,
      });
    }
  }
  for (const r of store.hybridRoutes) {
    if (r.hub !== hubFull || r.routeTable !== table) continue;
    const hybrid = store.spokes.get(r.spoke);
    const hop = { uri: hybrid?.hybrid?.uris[0] ?? r.spoke, vpcNetwork: hybrid?.hybrid?.vpcNetwork ?? '' };
    const field =
      hybrid?.hybrid?.kind === 'interconnect'
        ? 'nextHopInterconnectAttachment'
        : hybrid?.hybrid?.kind === 'router-appliance'
          ? 'nextHopRouterApplianceInstance'
          : 'nextHopVpnTunnel';
    out.push({
      name: `${prefix}/${r.uid}`,
      createTime: stamp(r.createTime),
      updateTime: stamp(r.createTime),
      ipCidrRange: r.ipCidrRange,
      type: 'DYNAMIC_ROUTE',
      [field]: { ...hop, siteToSiteDataTransfer: false },
      location: `projects/${hybrid?.project ?? hub.project}/locations/${hybrid?.location ?? 'global'}`,
      spoke: r.spoke,
      state: 'ACTIVE',
      uid: r.uid,
    });
  }
  return out;
}

/** google.longrunning.Operation JSON with OperationMetadata; `done` is omitted while false (proto3 JSON). */
export function renderNccOperation(op: NccOperationRecord): Record<string, unknown> {
  return {
    name: op.name,
    metadata: {
      '@type': `${NCC_TYPE}.OperationMetadata`,
      createTime: stamp(op.createTime),
      ...(op.endTime ? { endTime: stamp(op.endTime) } : {}),
      target: op.target,
      verb: op.verb,
      requestedCancellation: false,
      apiVersion: 'v1',
    },
    ...(op.done ? { done: true } : {}),
    ...(op.error ? { error: op.error } : {}),
    ...(op.response ? { response: op.response } : {}),
  };
}
