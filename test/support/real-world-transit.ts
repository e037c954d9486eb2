import type { Attachment, Cloud, Network, NetworkRef, TransitHub, TransitRoute } from '../../shared/model';
import { CONNECTION_TAG, MANAGED_TAG, networkKey } from '../../shared/model';
import { networkInGroup } from '../../shared/policy';
import type { Policy } from '../../shared/policy/schema';
import { MemoryCloud } from '../../shared/providers/memory';
import { refreshHubRoutes } from '../../shared/providers/memory/attachments';
import { HUB, STRANGER, awsRef } from './estate-builder';
import { PROJECT, SUBSCRIPTION } from './real-world-clouds';
import type { WorldBuilder } from './real-world-routes';
import { AZURE_SPOKE_SUBSCRIPTION, GCP_SPOKE_PROJECT, HUBS, TRANSIT_GROUPS } from './real-world-transit-policy';

/** What a transit spoke's attachment is in the generated world (the planner sees only states, routing and tags). */
type Shape = 'none' | 'ours' | 'drifted' | 'foreign' | 'requested' | 'pending' | 'dead' | 'duplicate';
const SHAPES: readonly Shape[] = ['none', 'none', 'ours', 'ours', 'ours', 'drifted', 'foreign', 'requested'];
const RARE: readonly Shape[] = ['pending', 'dead', 'duplicate'];

// Ranges collide on purpose: one /16 twice, a /20 inside it, a range a hub's blackhole or a reached cloud holds.
const RANGES: Record<Cloud, string[]> = {
  aws: [
    '10.110.0.0/16',
    '10.111.0.0/16',
    '10.112.0.0/16',
    '10.110.128.0/20',
    '10.114.0.0/16',
    '10.60.0.0/20',
    '10.113.0.0/16',
  ],
  azure: ['10.120.0.0/16', '10.121.0.0/16', '10.120.0.0/20', '10.122.0.0/16', '10.70.0.0/20'],
  gcp: ['10.130.0.0/20', '10.131.0.0/20', '10.130.8.0/21', '10.132.0.0/20', '10.111.0.0/16'],
};
/** Unlisted accounts whose networks ask to attach (never observed: nobody governs them). */
const STRANGERS: Record<Cloud, string> = {
  aws: STRANGER,
  azure: '5f1c2d3e-0000-4000-8000-0000057a4e9e',
  gcp: 'stranger-prod',
};

function spokeRef(w: WorldBuilder, cloud: Cloud, account: string, i: number): NetworkRef {
  if (cloud === 'aws') return awsRef(account, w.id('vpc'), 'us-east-1');
  if (cloud === 'azure')
    return {
      cloud,
      account,
      region: 'westeurope',
      id: `/subscriptions/${account}/resourceGroups/rg-spokes/providers/Microsoft.Network/virtualNetworks/vnet-spoke-${i}`,
    };
  return { cloud, account, region: 'global', id: `spoke-${i}` };
}

const hubRef = (cloud: Cloud): NetworkRef => ({
  cloud,
  account: HUBS[cloud].account,
  region: HUBS[cloud].region,
  id: HUBS[cloud].id,
});

/** A network of a transit cloud: in the spokes group (role/tier spoke, name spoke-*) or beside it. */
function spokeNetwork(
  w: WorldBuilder,
  cloud: Cloud,
  i: number,
  inGroup: boolean,
  accounts: readonly string[],
  vpc: (ref: NetworkRef, cidrs: string[], role: string) => Network,
): Network {
  const ref = spokeRef(w, cloud, w.rng.pick(accounts), i);
  const primary = w.rng.pick(RANGES[cloud]);
  const cidrs =
    cloud === 'aws' && w.rng.chance(0.3) ? [primary, `2600:1f18:${(0x80 + i).toString(16)}00::/56`] : [primary];
  if (cloud === 'aws') return vpc(ref, cidrs, inGroup ? 'tspoke' : 'other');
  // GCP networks are selected by name: a network beside the group is called something else.
  const id = cloud === 'gcp' && !inGroup ? `legacy-${i}` : ref.id;
  const network: Network = {
    ref: { ...ref, id },
    name: id.split('/').pop()!,
    cidrs,
    tags: cloud === 'azure' ? { tier: inGroup ? 'spoke' : 'app' } : {},
    routeTables: [],
  };
  w.networks.push(network);
  w.truth.ranges.set(networkKey(network.ref), cidrs);
  return network;
}

/** The attachments of one network to its cloud's hub, in the shape drawn. */
function attachmentsOf(
  w: WorldBuilder,
  policy: Policy,
  network: Network,
  shape: Shape,
  inGroup: boolean,
): Attachment[] {
  const cloud = network.ref.cloud;
  const h = HUBS[cloud];
  const decl = policy.transitHubs[h.name]!;
  const declared = {
    association: decl.associate,
    propagations: cloud === 'gcp' ? [] : [...(decl.propagate ?? [decl.associate])].sort(),
  };
  const elsewhere = w.rng.pick(h.tables.filter((t) => t !== decl.associate));
  const drifted = { association: elsewhere, propagations: cloud === 'gcp' ? [] : w.rng.chance(0.5) ? [elsewhere] : [] };
  const ours = { [MANAGED_TAG]: 'true', [CONNECTION_TAG]: `${TRANSIT_GROUPS[cloud]}-via-${h.name}` };
  const make = (state: Attachment['state'], extra: Partial<Attachment> = {}): Attachment => ({
    id: cloud === 'aws' ? w.id('tgw-attach') : `${h.id}/attachments/att-${w.id('a')}`,
    cloud,
    hub: hubRef(cloud),
    network: network.ref,
    state,
    propagations: [],
    tags: {},
    ...extra,
  });
  // Azure has no requests: the hub's owner creates connections, active at once.
  const canRequest = cloud !== 'azure' && network.ref.account !== h.account;
  switch (shape) {
    case 'none':
      return [];
    case 'ours':
      return [make('active', { ...declared, tags: ours })];
    case 'drifted':
      return [make('active', { ...drifted, tags: ours })];
    case 'foreign':
      return [make('active', w.rng.chance(0.5) ? declared : drifted)];
    case 'requested':
      return canRequest ? [make('requested', { tags: inGroup && w.rng.chance(0.3) ? ours : {} })] : [];
    case 'pending':
      return [make('pending', w.rng.chance(0.5) ? { tags: ours } : {})];
    case 'dead':
      return [make(w.rng.pick(['rejected', 'deleted', 'failed'] as const), { tags: ours })];
    case 'duplicate':
      return [
        make('deleted', { tags: ours }),
        canRequest && w.rng.chance(0.5) ? make('requested') : make('active', { ...declared, tags: ours }),
      ];
  }
}

/**
 * Someone's static hub routes: on-premises ranges to the VPN attachment, a blackhole over a spoke range, and the
 * ranges the hub reaches in another cloud (usually routed to the interconnect; missing, spokes must not route them).
 */
function staticRoutes(w: WorldBuilder, cloud: Cloud, reached: readonly string[]): TransitRoute[] {
  const vpn = HUBS[cloud].interconnect.id;
  const toVpn = (destination: string): TransitRoute => ({
    destination,
    target: { kind: 'attachment', attachmentId: vpn },
    origin: 'static',
    state: 'active',
  });
  const out: TransitRoute[] = [];
  if (w.rng.chance(0.6)) out.push(toVpn('172.20.0.0/16'));
  if (w.rng.chance(0.3))
    out.push({
      destination: RANGES[cloud][4]!,
      target: { kind: 'other', id: 'blackhole' },
      origin: 'static',
      state: 'blackhole',
    });
  if (w.rng.chance(0.75)) out.push(...reached.map(toVpn));
  return out;
}

/**
 * Transit hubs in every cloud of the world (issue 17) and attachments of every shape the clouds return: ours with
 * the declared or drifted routing, foreign, requested by listed spokes and by strangers, pending, dead, duplicates,
 * overlapping spokes; static hub routes and propagated ones consistent with the attachments; sometimes a declared
 * hub that is not there. `vpc` builds an AWS VPC the way the rest of the world does.
 */
export function transitWorld(
  w: WorldBuilder,
  policy: Policy,
  clouds: readonly Cloud[],
  awsAccounts: readonly string[],
  vpc: (ref: NetworkRef, cidrs: string[], role: string) => Network,
): { transitHubs: TransitHub[]; attachments: Attachment[] } {
  const hubs: TransitHub[] = [];
  const attachments: Attachment[] = [];
  const accounts: Record<Cloud, readonly string[]> = {
    aws: [...awsAccounts, HUB],
    azure: [SUBSCRIPTION, AZURE_SPOKE_SUBSCRIPTION],
    gcp: [PROJECT, GCP_SPOKE_PROJECT],
  };
  let i = 0;
  for (const cloud of clouds) {
    const h = HUBS[cloud];
    const decl = policy.transitHubs[h.name]!;
    for (let k = w.rng.int(1, 4); k > 0; k--) {
      const network = spokeNetwork(w, cloud, i++, true, accounts[cloud], vpc);
      const shape = w.rng.chance(0.2) ? w.rng.pick(RARE) : w.rng.pick(SHAPES);
      attachments.push(...attachmentsOf(w, policy, network, shape, true));
    }
    // A network beside the group: attached by someone (overlapping spokes) or asking to be.
    if (w.rng.chance(0.5)) {
      const other = spokeNetwork(w, cloud, i++, false, accounts[cloud], vpc);
      attachments.push(...attachmentsOf(w, policy, other, w.rng.pick(['foreign', 'requested'] as const), false));
    }
    if (cloud !== 'azure' && w.rng.chance(0.4)) {
      const ref = spokeRef(w, cloud, STRANGERS[cloud], 90 + i++);
      w.truth.ranges.set(networkKey(ref), [w.rng.pick(RANGES[cloud])]);
      attachments.push({
        id: cloud === 'aws' ? w.id('tgw-attach') : `${h.id}/attachments/att-${w.id('a')}`,
        cloud,
        hub: hubRef(cloud),
        network: ref,
        state: 'requested',
        propagations: [],
        tags: {},
      });
    }
    // A declared hub that is not there (deleted, or declared before it was built): one world in twelve.
    if (w.rng.chance(1 / 12)) continue;
    const reached = decl.reaches.flatMap((r) =>
      w.networks
        .filter((n) => n.ref.cloud !== cloud && r.groups.some((g) => inGroupNamed(policy, g, n)))
        .flatMap((n) => n.cidrs),
    );
    const tables =
      cloud === 'aws'
        ? h.tables.filter((t) => t === decl.associate || (decl.propagate ?? []).includes(t) || w.rng.chance(0.5))
        : h.tables;
    const routes = staticRoutes(w, cloud, reached);
    hubs.push({
      ref: hubRef(cloud),
      name: h.name,
      tags: {},
      routeTables: tables.map((id) => ({ id, tags: {}, routes: id === decl.associate ? routes : [] })),
      interconnects:
        decl.reaches.length > 0 && w.rng.chance(0.2)
          ? []
          : [{ id: h.interconnect.id, kind: h.interconnect.kind, state: 'active' }],
    });
  }
  // Propagated routes exactly as the cloud computes them from the attachments (the in-memory cloud's rule).
  const memory = new MemoryCloud({ networks: w.networks, peerings: [], accounts: [], transitHubs: hubs, attachments });
  refreshHubRoutes(memory);
  return { transitHubs: [...memory.hubs.values()], attachments };
}

function inGroupNamed(policy: Policy, name: string, network: Network): boolean {
  const group = policy.groups[name];
  return group !== undefined && networkInGroup(group, network);
}
