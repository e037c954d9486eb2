import type { Estate, Network, NetworkRef, Peering, Route, RouteTable } from '../../shared/model';
import { CONNECTION_TAG, MANAGED_TAG, networkKey } from '../../shared/model';
import type { Partition } from '../../shared/providers/port';
import type { Policy } from '../../shared/policy/schema';
import { PolicySchema } from '../../shared/policy/schema';
import { Prng } from '../chaos/prng';
import { HUB, NOW, PARTNER, STRANGER, awsRef } from './estate-builder';
import { AZURE_HOP, PROJECT, SUBSCRIPTION, otherClouds } from './real-world-clouds';
import { routeKinds, type WorldBuilder } from './real-world-routes';
import { transitWorld } from './real-world-transit';
import {
  AZURE_SPOKE_SUBSCRIPTION,
  GCP_SPOKE_PROJECT,
  transitPolicyParts,
  type TransitShape,
} from './real-world-transit-policy';

/** What a peering really is; the planner only sees ids, states and tags, the oracle judges by this. */
export type PeeringRole =
  | 'managed' // created by peerkeeper (tagged), live
  | 'wanted-untagged' // a live link the policy wants, made by hand
  | 'partner-link' // an active link with a listed partner
  | 'foreign' // a live peering nobody asked peerkeeper to manage
  | 'request-partner'
  | 'request-stranger'
  | 'request-denied' // denied: between two spokes
  | 'request-unmatched' // between networks no connection names
  | 'dead-managed' // tagged by peerkeeper, now deleted / failed / expired
  | 'vanished'; // routed to, but gone from every listing

/** The generator's ground truth: what the clouds really hold, including what no read can show. */
export interface WorldTruth {
  /** Every governed partition (aws, account, region): what a sweep reads. */
  partitions: Partition[];
  /** Governed accounts that grant peerkeeper no role: every read there is AccessDenied in the real world. */
  denying: string[];
  /** Accounts the policy lists only as partners (requests from them may be accepted, never read). */
  partners: string[];
  /** Role of every peering id, including vanished ones that only routes still name. */
  roles: Map<string, PeeringRole>;
  /** The ranges each prefix list really holds (the planner cannot know: `pl-…` must be an obstacle to it). */
  prefixLists: Map<string, string[]>;
  /** Ranges of every network by key, observed or not (partners, strangers). */
  ranges: Map<string, string[]>;
}

/** One generated world: the policy, the observation with every read succeeding, and the truth behind it. */
export interface RealWorld {
  seed: number;
  policy: Policy;
  estate: Estate;
  truth: WorldTruth;
}

const REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** AWS: 50 routes per table by default; no table the generator writes holds more. */
const ROUTE_QUOTA = 50;
const SPOKE_ACCOUNTS = ['222222222222', '333333333333', '444444444444'];
/** A governed account whose role was never deployed (issue 12, problem 3: the README's sample policy has one). */
export const DENYING_ACCOUNT = '777777777777';
export const SECOND_PARTNER = '888888888888';
const MESH_ACCOUNT = '666666666666';
// Spoke ranges collide on purpose: the same /16 twice, a /20 inside a /16, so competing links happen often.
const SPOKE_RANGES = [
  '10.1.0.0/16',
  '10.2.0.0/16',
  '10.3.0.0/16',
  '10.4.0.0/16',
  '10.1.128.0/20',
  '10.2.0.0/16',
  '10.5.0.0/16',
];
const MESH_RANGES = ['10.20.0.0/16', '10.21.0.0/16', '10.22.0.0/16', '10.21.16.0/20'];
// Partner ranges: distinct, shared by both partners, overlapping a spoke, the hub, a transit route, whole space.
const PARTNER_RANGES = [
  '172.16.0.0/16',
  '172.17.0.0/16',
  '172.16.0.0/16',
  '10.1.0.0/16',
  '10.0.0.0/16',
  '10.250.0.0/16',
  '0.0.0.0/0',
  '::/0',
  '2600:1f18:9900::/56',
  '172.16.128.0/17',
];

function policyFor(
  rng: Prng,
  accounts: { spokes: string[]; denying: boolean; mesh: boolean; pair: boolean; clouds: boolean },
  transit?: { rng: Prng; shape: TransitShape },
): Policy {
  const t = transit ? transitPolicyParts(transit.rng, transit.shape) : undefined;
  const spokeHomes = (cloud: 'azure' | 'gcp') => (t && transit?.shape.clouds.includes(cloud) ? 1 : 0);
  const chat = rng.chance(0.3) ? 'chat' : 'auto';
  const spokeAccounts = [...accounts.spokes, ...(accounts.denying ? [DENYING_ACCOUNT] : [])];
  const governed = [
    ...new Set([HUB, ...spokeAccounts, ...(accounts.mesh || accounts.pair ? [MESH_ACCOUNT] : [])]),
  ].sort();
  return PolicySchema.parse({
    version: 1,
    providers: {
      aws: { regions: [...REGIONS], accounts: governed, hubAccount: HUB },
      ...(accounts.clouds
        ? {
            azure: { subscriptions: [SUBSCRIPTION, AZURE_SPOKE_SUBSCRIPTION].slice(0, 1 + spokeHomes('azure')) },
            gcp: { projects: [PROJECT, GCP_SPOKE_PROJECT].slice(0, 1 + spokeHomes('gcp')) },
          }
        : {}),
    },
    groups: {
      hub: { cloud: 'aws', account: HUB, tags: { role: 'hub' } },
      spokes: { cloud: 'aws', account: spokeAccounts, tags: { role: 'spoke' } },
      partners: { cloud: 'aws', account: [PARTNER, SECOND_PARTNER] },
      mesh: { cloud: 'aws', tags: { role: 'mesh' } },
      left: { cloud: 'aws', account: MESH_ACCOUNT, tags: { role: 'pair-left' } },
      right: { cloud: 'aws', tags: { role: 'pair-right' } },
      ...(accounts.clouds
        ? {
            azdata: { cloud: 'azure', account: SUBSCRIPTION, tags: { tier: 'data' } },
            gcpmesh: { cloud: 'gcp', account: PROJECT, name: 'mesh-*' },
          }
        : {}),
      ...t?.groups,
    },
    ...(t ? { transitHubs: t.transitHubs } : {}),
    connections: [
      {
        name: 'spokes-to-hub',
        topology: 'hub-spoke',
        hub: 'hub',
        spokes: 'spokes',
        approval: rng.chance(0.15) ? 'chat' : 'auto',
      },
      { name: 'partner-link', topology: 'pair', between: ['partners', 'hub'], approval: chat },
      ...(accounts.mesh
        ? [{ name: 'data-mesh', topology: 'mesh' as const, members: 'mesh', approval: 'auto' as const }]
        : []),
      ...(accounts.pair
        ? [
            {
              name: 'left-right',
              topology: 'pair' as const,
              between: ['left', 'right'] as [string, string],
              approval: 'auto' as const,
            },
          ]
        : []),
      ...(accounts.clouds
        ? [
            {
              name: 'azure-data',
              topology: 'mesh' as const,
              members: 'azdata',
              approval: 'auto' as const,
              routes: { tables: 'all' as const, azureNextHop: AZURE_HOP },
            },
            { name: 'gcp-mesh', topology: 'mesh' as const, members: 'gcpmesh', approval: 'auto' as const },
          ]
        : []),
      ...(t?.connections ?? []),
    ],
    deny: [{ between: ['spokes', 'spokes'], reason: 'spokes talk through the hub' }],
    unmatchedRequests: rng.pick(['reject', 'ignore', 'chat'] as const),
    approvals: { approvers: ['U012AB3CD'], ttl: '72h' },
    drift: {
      routes: rng.chance(0.8) ? 'revert' : 'report',
      peerings: rng.chance(0.8) ? 'revert' : 'report',
      unknownPeerings: 'report',
    },
    // The oracle compares whole plans: no cap, so a partial plan is never "ahead" of a capped full one.
    limits: { maxChangesPerRun: 1000 },
  });
}

/** A VPC: its ranges, a main table and sometimes a second one, each with the routes real VPCs carry. */
export function vpc(w: WorldBuilder, ref: NetworkRef, cidrs: string[], role: string): Network {
  const tables: RouteTable[] = [];
  const count = w.rng.chance(0.4) ? 2 : 1;
  for (let t = 0; t < count; t++) {
    const local: Route[] = cidrs.map((c) => ({
      destination: c,
      target: { kind: 'other', id: 'local' },
      origin: 'system',
      state: 'active',
    }));
    tables.push({
      id: w.id('rtb'),
      network: ref,
      main: t === 0,
      tags: {},
      routes: [...local, ...routeKinds(w, cidrs, t === 0)],
    });
  }
  const network: Network = { ref, name: `${role}-${ref.id.slice(-4)}`, cidrs, tags: { role }, routeTables: tables };
  w.networks.push(network);
  w.truth.ranges.set(networkKey(ref), cidrs);
  return network;
}

/** Primary IPv4, sometimes a secondary (100.64/10 carrier-grade space) and an IPv6 /56; rarely IPv6 only. */
function rangesFor(w: WorldBuilder, primary: string, n: number): string[] {
  const v6 = `2600:1f18:${(0x10 + n).toString(16)}00::/56`;
  if (w.rng.chance(0.08)) return [v6];
  return [primary, ...(w.rng.chance(0.2) ? [`100.64.${16 * (n % 16)}.0/20`] : []), ...(w.rng.chance(0.4) ? [v6] : [])];
}

function peeringBetween(
  w: WorldBuilder,
  role: PeeringRole,
  requester: NetworkRef,
  accepter: NetworkRef,
  state: Peering['state'],
  connection?: string,
): Peering {
  const id = w.id('pcx');
  const tags: Record<string, string> = connection ? { [MANAGED_TAG]: 'true', [CONNECTION_TAG]: connection } : {};
  const p: Peering = {
    id,
    cloud: 'aws',
    requester,
    accepter,
    state,
    options: {},
    tags,
    requesterCidrs: w.truth.ranges.get(networkKey(requester)) ?? [],
    accepterCidrs: w.truth.ranges.get(networkKey(accepter)) ?? [],
    ...(state === 'requested'
      ? { expiresAt: new Date(NOW.getTime() + w.rng.int(-2, 160) * 3_600_000).toISOString() }
      : {}),
  };
  w.truth.roles.set(id, role);
  w.peerings.push(p);
  return p;
}

/** Routes each side of a link needs (peer ranges → the peering), with the drift real estates show. */
function linkRoutes(
  w: WorldBuilder,
  peeringId: string,
  a: Network,
  b: Network,
  state: Route['state'] = 'active',
): void {
  for (const [near, far] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const table of near.routeTables) {
      for (const cidr of far.cidrs) {
        if (cidr.includes(':') && !near.cidrs.some((c) => c.includes(':'))) continue;
        const drift = w.rng.next();
        if (drift < 0.08) continue; // deleted by hand
        const target: Route['target'] =
          drift < 0.12
            ? { kind: 'other', id: 'tgw-0drift000000000001' }
            : drift < 0.15
              ? { kind: 'peering', peeringId: 'pcx-0feedface00000001' }
              : { kind: 'peering', peeringId };
        if (table.routes.some((r) => r.destination === cidr) || table.routes.length >= ROUTE_QUOTA) continue;
        table.routes.push({
          destination: cidr,
          target,
          origin: 'static',
          state: target.kind === 'peering' && target.peeringId === peeringId ? state : 'active',
        });
      }
    }
  }
}

/** Hub-spoke links in every lifecycle state: none yet, active (tagged or by hand), pending, dead, vanished. */
function spokeLinks(w: WorldBuilder, hubs: Network[], spokes: Network[]): void {
  for (const spoke of spokes) {
    const hub = w.rng.pick(hubs);
    const kind = w.rng.pick([
      'none',
      'none',
      'managed',
      'managed',
      'managed',
      'untagged',
      'pending',
      'dead',
      'vanished',
    ] as const);
    if (kind === 'none') continue;
    if (kind === 'vanished') {
      const id = w.id('pcx');
      w.truth.roles.set(id, 'vanished');
      linkRoutes(w, id, spoke, hub, w.rng.chance(0.5) ? 'blackhole' : 'active');
      continue;
    }
    const state =
      kind === 'pending'
        ? 'requested'
        : kind === 'dead'
          ? w.rng.pick(['deleted', 'failed', 'expired'] as const)
          : 'active';
    // A link made by hand to a network the policy does not want (role `other`) is nobody's to manage.
    const role: PeeringRole =
      kind === 'untagged'
        ? spoke.tags.role === 'spoke'
          ? 'wanted-untagged'
          : 'foreign'
        : kind === 'dead'
          ? 'dead-managed'
          : 'managed';
    const p = peeringBetween(w, role, spoke.ref, hub.ref, state, kind === 'untagged' ? undefined : 'spokes-to-hub');
    if (state !== 'requested') linkRoutes(w, p.id, spoke, hub, state === 'active' ? 'active' : 'blackhole');
  }
}

/** Requests to the hub from listed partners (often competing for one range), a stranger and a denied spoke pair. */
function requests(w: WorldBuilder, hub: Network, spokes: Network[]): void {
  const partner = (account: string, ranges = PARTNER_RANGES) => {
    const ref = awsRef(account, w.id('vpc'), w.rng.pick(REGIONS));
    w.truth.ranges.set(networkKey(ref), [w.rng.pick(ranges)]);
    return ref;
  };
  const first = w.rng.chance(0.75)
    ? peeringBetween(w, 'request-partner', partner(PARTNER), hub.ref, 'requested')
    : undefined;
  // A third of second partners ask for the first one's range: two listed partners competing for one slot.
  const same = first && w.rng.chance(0.35) ? first.requesterCidrs : undefined;
  if (w.rng.chance(0.6))
    peeringBetween(w, 'request-partner', partner(SECOND_PARTNER, same ?? PARTNER_RANGES), hub.ref, 'requested');
  if (w.rng.chance(0.3)) {
    // An established partner link: a range of its own, or the one a new partner request competes for.
    const link = peeringBetween(
      w,
      'partner-link',
      partner(PARTNER, ['172.18.0.0/16', '172.16.0.0/16']),
      hub.ref,
      'active',
    );
    for (const table of hub.routeTables) {
      for (const cidr of link.requesterCidrs ?? []) {
        if (!table.routes.some((r) => r.destination === cidr) && table.routes.length < ROUTE_QUOTA)
          table.routes.push({
            destination: cidr,
            target: { kind: 'peering', peeringId: link.id },
            origin: 'static',
            state: 'active',
          });
      }
    }
  }
  if (w.rng.chance(0.35)) peeringBetween(w, 'request-stranger', partner(STRANGER), hub.ref, 'requested');
  if (spokes.length >= 2 && w.rng.chance(0.3)) {
    const [a, b] = [spokes[0]!, spokes[1]!];
    peeringBetween(
      w,
      a.tags.role === 'spoke' && b.tags.role === 'spoke' ? 'request-denied' : 'request-unmatched',
      a.ref,
      b.ref,
      'requested',
    );
  }
}

/** A live peering nobody asked peerkeeper to manage, with routes through it (never to be touched). */
function foreignLink(w: WorldBuilder, a: Network, b: Network): void {
  const p = peeringBetween(w, 'foreign', a.ref, b.ref, 'active');
  for (const table of a.routeTables) {
    const cidr = b.cidrs[0]!;
    if (!table.routes.some((r) => r.destination === cidr) && table.routes.length < ROUTE_QUOTA)
      table.routes.push({
        destination: cidr,
        target: { kind: 'peering', peeringId: p.id },
        origin: 'static',
        state: 'active',
      });
  }
}

/**
 * A seeded estate shaped like a real AWS organization (issue 12): hub-spoke, mesh and pair connections over
 * several accounts and two regions; secondary and IPv6-only ranges; every route kind EC2 returns; unmanaged
 * transit and VPN routes overlapping spokes; a governed account that denies access; partner requests that
 * compete for one range; tables near their 50-route quota; stale routes to vanished managed peerings. Two worlds
 * in five add an Azure data mesh (UDRs through an appliance, service tags, VNet gateway, None) and a GCP mesh
 * (default internet gateway, ILB, instance, VPN tunnel and next-hop IP routes).
 */
export function realWorld(seed: number): RealWorld {
  const rng = new Prng(seed);
  const w: WorldBuilder = {
    rng,
    networks: [],
    peerings: [],
    sequence: 0,
    id: (prefix) =>
      `${prefix}-0${(seed % 4096).toString(16).padStart(3, '0')}${(++w.sequence).toString(16).padStart(13, '0')}`,
    truth: {
      partitions: [],
      denying: [],
      partners: [PARTNER, SECOND_PARTNER],
      roles: new Map(),
      prefixLists: new Map(),
      ranges: new Map(),
    },
  };
  const spokeAccounts = rng.shuffle(SPOKE_ACCOUNTS).slice(0, rng.int(1, 3));
  const shape = {
    spokes: spokeAccounts,
    denying: rng.chance(0.4),
    mesh: rng.chance(0.4),
    pair: rng.chance(0.3),
    clouds: rng.chance(0.4),
  };
  // Transit draws come from their own stream: the rest of each seed's world is what it was before issue 17.
  const trng = new Prng(seed * 7 + 0x7a11);
  const transit: TransitShape | undefined = trng.chance(0.6)
    ? {
        clouds: shape.clouds ? ['aws', 'azure', 'gcp'] : ['aws'],
        awsAccounts: [...spokeAccounts, ...(shape.denying ? [DENYING_ACCOUNT] : [])],
      }
    : undefined;
  const policy = policyFor(rng, shape, transit && { rng: trng, shape: transit });
  let n = 0;
  const hubs = [vpc(w, awsRef(HUB, w.id('vpc'), 'us-east-1'), rangesFor(w, '10.0.0.0/16', n++), 'hub')];
  if (rng.chance(0.3))
    hubs.push(vpc(w, awsRef(HUB, w.id('vpc'), 'eu-west-1'), rangesFor(w, '10.100.0.0/16', n++), 'hub'));
  const spokeHome = [...spokeAccounts, ...(shape.denying ? [DENYING_ACCOUNT] : [])];
  const spokes = Array.from({ length: rng.int(1, 5) }, () =>
    vpc(
      w,
      awsRef(rng.pick(spokeHome), w.id('vpc'), rng.pick(REGIONS)),
      rangesFor(w, rng.pick(SPOKE_RANGES), n++),
      rng.chance(0.85) ? 'spoke' : 'other',
    ),
  );
  spokeLinks(w, hubs, spokes);
  requests(w, hubs[0]!, spokes);
  if (shape.mesh) {
    const members = Array.from({ length: rng.int(2, 3) }, () =>
      vpc(
        w,
        awsRef(rng.pick([MESH_ACCOUNT, HUB]), w.id('vpc'), rng.pick(REGIONS)),
        rangesFor(w, rng.pick(MESH_RANGES), n++),
        'mesh',
      ),
    );
    if (rng.chance(0.5)) {
      const p = peeringBetween(w, 'managed', members[0]!.ref, members[1]!.ref, 'active', 'data-mesh');
      linkRoutes(w, p.id, members[0]!, members[1]!);
    }
  }
  if (shape.pair) {
    vpc(w, awsRef(MESH_ACCOUNT, w.id('vpc'), 'us-east-1'), rangesFor(w, '10.30.0.0/16', n++), 'pair-left');
    vpc(
      w,
      awsRef(rng.pick([HUB, ...spokeAccounts]), w.id('vpc'), rng.pick(REGIONS)),
      rangesFor(w, rng.pick(['10.31.0.0/16', '10.30.128.0/17']), n++),
      'pair-right',
    );
  }
  if (rng.chance(0.5))
    foreignLink(
      w,
      hubs[0]!,
      vpc(
        w,
        awsRef(rng.pick(spokeAccounts), w.id('vpc'), 'us-east-1'),
        rangesFor(w, rng.pick(['10.40.0.0/16', '192.168.0.0/16', '10.2.0.0/16']), n++),
        'other',
      ),
    );
  if (shape.clouds) otherClouds(w);
  const tw: WorldBuilder = { ...w, rng: trng };
  const links = transit
    ? transitWorld(tw, policy, transit.clouds, transit.awsAccounts, (ref, cidrs, role) => vpc(tw, ref, cidrs, role))
    : undefined;
  const governed = policy.providers.aws?.accounts ?? [];
  w.truth.partitions = [
    ...governed.flatMap((account) => REGIONS.map((region) => ({ cloud: 'aws' as const, account, region }))),
    ...(shape.clouds
      ? [
          { cloud: 'azure' as const, account: SUBSCRIPTION, region: 'westeurope' },
          { cloud: 'gcp' as const, account: PROJECT, region: 'global' },
          ...(transit
            ? [
                { cloud: 'azure' as const, account: AZURE_SPOKE_SUBSCRIPTION, region: 'westeurope' },
                { cloud: 'gcp' as const, account: GCP_SPOKE_PROJECT, region: 'global' },
              ]
            : []),
        ]
      : []),
  ];
  w.truth.denying = shape.denying ? [DENYING_ACCOUNT] : [];
  const accounts = w.truth.partitions
    .filter((p, i, all) => all.findIndex((q) => q.cloud === p.cloud && q.account === p.account) === i)
    .map((p) => ({ cloud: p.cloud, account: p.account, labels: {} }));
  const estate: Estate = {
    version: 1,
    observedAt: NOW.toISOString(),
    complete: true,
    gaps: [],
    unread: [],
    accounts,
    networks: w.networks,
    peerings: w.peerings,
    ...(links?.transitHubs.length ? { transitHubs: links.transitHubs } : {}),
    ...(links?.attachments.length ? { attachments: links.attachments } : {}),
  };
  return { seed, policy, estate, truth: w.truth };
}
