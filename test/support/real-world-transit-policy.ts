import type { Cloud } from '../../shared/model';
import type { PolicyInput } from '../../shared/policy/schema';
import type { Prng } from '../chaos/prng';
import { HUB } from './estate-builder';
import { PROJECT, SUBSCRIPTION } from './real-world-clouds';

/** The Azure subscription and GCP project that hold transit spokes only (governed, listed in the spokes groups). */
export const AZURE_SPOKE_SUBSCRIPTION = '5f1c2d3e-0000-4000-8000-0000005b0ce5';
export const GCP_SPOKE_PROJECT = 'pk-spokes-prod';

/** The hubs of the generated worlds, their route tables (NCC: groups) and the interconnects they may hold. */
export const HUBS = {
  aws: {
    name: 'tgw',
    account: HUB,
    region: 'us-east-1',
    id: 'tgw-0a1b2c3d4e5f60718',
    tables: ['tgw-rtb-0spokes000000001', 'tgw-rtb-0shared000000002', 'tgw-rtb-0egress000000003'],
    interconnect: { id: 'tgw-attach-0vpn0000000000a1', kind: 'vpn' as const },
  },
  azure: {
    name: 'vwan',
    account: SUBSCRIPTION,
    region: 'westeurope',
    id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-wan/providers/Microsoft.Network/virtualHubs/hub-we`,
    tables: ['defaultRouteTable', 'rt-spokes'],
    interconnect: {
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-wan/providers/Microsoft.Network/vpnGateways/vpngw-we`,
      kind: 'vpn' as const,
    },
  },
  gcp: {
    name: 'ncc',
    account: PROJECT,
    region: 'global',
    id: `projects/${PROJECT}/locations/global/hubs/core`,
    tables: ['default', 'center'],
    interconnect: {
      id: `projects/${PROJECT}/locations/europe-west1/spokes/onprem-ha-vpn`,
      kind: 'hybrid-spoke' as const,
    },
  },
} satisfies Record<Cloud, unknown>;

/** The spokes group of each cloud's transit connection. */
export const TRANSIT_GROUPS: Record<Cloud, string> = { aws: 'tspokes', azure: 'azspokes', gcp: 'gcpspokes' };

/** What a world's transit part looks like: which clouds have a hub, and how each connection is declared. */
export interface TransitShape {
  clouds: Cloud[];
  /** AWS spoke accounts (governed) that hold transit spokes. */
  awsAccounts: string[];
}

/**
 * The policy's transit part: a `transitHubs` entry per cloud (the TGW with 2–3 tables, the Virtual WAN hub with its
 * defaultRouteTable and a custom table, the NCC hub with groups default and center), a hub-spoke `via: transit`
 * connection per hub (some by chat, some with summary destinations) and reaches to another cloud's group.
 */
export function transitPolicyParts(
  rng: Prng,
  shape: TransitShape,
): Pick<PolicyInput, 'groups' | 'transitHubs' | 'connections'> {
  const groups: NonNullable<PolicyInput['groups']> = {};
  const transitHubs: NonNullable<PolicyInput['transitHubs']> = {};
  const connections: NonNullable<PolicyInput['connections']> = [];
  const has = (c: Cloud) => shape.clouds.includes(c);
  // Reached groups: another cloud's data (Azure), mesh (GCP) or transit spokes (AWS).
  const reached: Record<Cloud, string | undefined> = {
    aws: has('azure') ? 'azdata' : undefined,
    azure: has('gcp') ? 'gcpmesh' : undefined,
    gcp: has('aws') ? 'tspokes' : undefined,
  };
  const farHub: Record<Cloud, Cloud> = { aws: 'azure', azure: 'gcp', gcp: 'aws' };
  for (const cloud of shape.clouds) {
    const h = HUBS[cloud];
    const group = TRANSIT_GROUPS[cloud];
    groups[group] =
      cloud === 'aws'
        ? { cloud, account: [...shape.awsAccounts, HUB], tags: { role: 'tspoke' } }
        : cloud === 'azure'
          ? { cloud, account: [SUBSCRIPTION, AZURE_SPOKE_SUBSCRIPTION], tags: { tier: 'spoke' } }
          : { cloud, account: [PROJECT, GCP_SPOKE_PROJECT], name: 'spoke-*' };
    const tables = cloud === 'aws' ? h.tables.slice(0, rng.int(2, 3)) : h.tables;
    const associate = rng.pick(tables);
    const far = reached[cloud];
    transitHubs[h.name] = {
      cloud,
      account: h.account,
      region: h.region,
      // The policy may name a Virtual WAN or NCC hub by its short name; the clouds return full ids.
      id: cloud !== 'aws' && rng.chance(0.5) ? h.id.split('/').pop()! : h.id,
      associate,
      ...(cloud !== 'gcp' && rng.chance(0.4) ? { propagate: rng.shuffle(tables).slice(0, rng.int(1, 2)) } : {}),
      reaches:
        far && rng.chance(0.7) ? [{ through: h.interconnect.id, groups: [far], via: HUBS[farHub[cloud]].name }] : [],
      // Virtual WAN connections may propagate to labels too (decided by an earlier draw: the stream stays as it was).
      ...(cloud === 'azure' && associate === tables[0] ? { labels: ['default'] } : {}),
    };
    connections.push({
      name: `${group}-via-${h.name}`,
      topology: 'hub-spoke',
      via: 'transit',
      hub: h.name,
      spokes: group,
      approval: rng.chance(0.25) ? 'chat' : 'auto',
      // NCC spokes may keep a range out of the hub (an export filter; decided by an earlier draw, as above).
      ...(cloud === 'gcp' && associate === tables[0] ? { attachment: { excludeExportRanges: ['10.130.0.0/16'] } } : {}),
      routes: {
        tables: 'all',
        ...(cloud === 'aws' && rng.chance(0.35)
          ? { destinations: rng.pick([['10.110.0.0/15'], ['10.112.0.0/14', '10.120.0.0/13']]) }
          : {}),
      },
    });
  }
  return { groups, transitHubs, connections };
}
