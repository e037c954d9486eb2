import type { Attachment, Cloud, Network, NetworkRef, TransitHub, TransitRoute } from '../../shared/model';
import type { Policy, PolicyInput } from '../../shared/policy/schema';
import { PolicySchema } from '../../shared/policy/schema';
import { HUB, SPOKE_A, SPOKE_B } from './estate-builder';

/** Where each cloud's test hub lives and what its route tables are called. */
export const TRANSIT: Record<Cloud, { account: string; region: string; id: string; tables: [string, string] }> = {
  aws: { account: HUB, region: 'us-east-1', id: 'tgw-0hub', tables: ['tgw-rtb-0spokes', 'tgw-rtb-0shared'] },
  azure: {
    account: '0b1f6471-1bf0-4dda-aec3-111111111111',
    region: 'westeurope',
    id: '/subscriptions/0b1f6471-1bf0-4dda-aec3-111111111111/resourceGroups/wan/providers/Microsoft.Network/virtualHubs/hub-we',
    tables: ['defaultRouteTable', 'spokes'],
  },
  gcp: {
    account: 'net-hub-prod',
    region: 'global',
    id: 'projects/net-hub-prod/locations/global/hubs/core',
    tables: ['default', 'center'],
  },
};
/** Spoke accounts per cloud: two governed, and one nobody lists. */
export const SPOKE_ACCOUNTS: Record<Cloud, [string, string, string]> = {
  aws: [SPOKE_A, SPOKE_B, '555555555555'],
  azure: [
    '0b1f6471-1bf0-4dda-aec3-222222222222',
    '0b1f6471-1bf0-4dda-aec3-333333333333',
    '0b1f6471-1bf0-4dda-aec3-555555555555',
  ],
  gcp: ['payments-prod', 'shop-prod', 'stranger-prod'],
};

export const hubRef = (cloud: Cloud): NetworkRef => {
  const t = TRANSIT[cloud];
  return { cloud, account: t.account, region: t.region, id: t.id };
};

/** A spoke network of a cloud, tagged (AWS, Azure) as a spoke. */
export function spokeNetwork(
  cloud: Cloud,
  account: string,
  name: string,
  cidrs: string[],
  routes: Network['routeTables'][number]['routes'] = [],
): Network {
  const region = cloud === 'gcp' ? 'global' : TRANSIT[cloud].region;
  const id =
    cloud === 'aws'
      ? `vpc-${name}`
      : cloud === 'azure'
        ? `/subscriptions/${account}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`
        : name;
  const ref = { cloud, account, region, id };
  const local = cidrs.map((c) => ({
    destination: c,
    target: { kind: 'other' as const, id: 'local' },
    origin: 'system' as const,
    state: 'active' as const,
  }));
  return {
    ref,
    name,
    cidrs,
    tags: cloud === 'gcp' ? {} : { role: 'spoke' },
    routeTables:
      cloud === 'aws' ? [{ id: `rtb-${name}`, network: ref, main: true, tags: {}, routes: [...local, ...routes] }] : [],
  };
}

/** The hub as observed: its two route tables with the given routes in the first, and interconnects. */
export function transitHub(cloud: Cloud, routes: TransitRoute[] = [], extra: Partial<TransitHub> = {}): TransitHub {
  const [first, second] = TRANSIT[cloud].tables;
  return {
    ref: hubRef(cloud),
    tags: {},
    interconnects: [],
    routeTables: [
      { id: first, tags: {}, routes },
      { id: second, tags: {}, routes: [] },
    ],
    ...extra,
  };
}

/** An attachment of a network to the cloud's hub. */
export function attachment(
  id: string,
  network: Network,
  state: Attachment['state'],
  extra: Partial<Attachment> = {},
): Attachment {
  return {
    id,
    cloud: network.ref.cloud,
    hub: hubRef(network.ref.cloud),
    network: network.ref,
    state,
    propagations: [],
    tags: {},
    ...extra,
  };
}

export const OURS = { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'spokes-via-hub' };

export const propagated = (destination: string, attachmentId: string): TransitRoute => ({
  destination,
  target: { kind: 'attachment', attachmentId },
  origin: 'propagated',
  state: 'active',
});

/** A policy attaching one cloud's spokes (two listed accounts, selected by tag or account) to its transit hub. */
export function transitPolicy(
  cloud: Cloud,
  overrides: Partial<PolicyInput> = {},
  connection: Record<string, unknown> = {},
): Policy {
  const t = TRANSIT[cloud];
  const [a, b] = SPOKE_ACCOUNTS[cloud];
  return PolicySchema.parse({
    version: 1,
    groups: {
      spokes:
        cloud === 'gcp'
          ? { cloud, account: [a, b, t.account] }
          : { cloud, account: [a, b, t.account], tags: { role: 'spoke' } },
    },
    transitHubs: { core: { cloud, account: t.account, region: t.region, id: t.id, associate: t.tables[0] } },
    connections: [
      { name: 'spokes-via-hub', topology: 'hub-spoke', via: 'transit', hub: 'core', spokes: 'spokes', ...connection },
    ],
    approvals: { approvers: ['U012AB3CD'], ttl: '72h' },
    ...overrides,
  });
}
