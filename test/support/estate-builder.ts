import type { Estate, Network, NetworkRef, Peering, Route, RouteTable } from '../../shared/model';
import type { Policy, PolicyInput } from '../../shared/policy/schema';
import { PolicySchema } from '../../shared/policy/schema';

/** An AWS network ref in us-east-1 unless told otherwise. */
export function awsRef(account: string, id: string, region = 'us-east-1'): NetworkRef {
  return { cloud: 'aws', account, region, id };
}

/** A route table with the VPC's local routes plus the given ones. */
export function table(
  id: string,
  network: NetworkRef,
  cidrs: readonly string[],
  routes: Route[] = [],
  extra: Partial<RouteTable> = {},
): RouteTable {
  const local: Route[] = cidrs.map((c) => ({
    destination: c,
    target: { kind: 'other', id: 'local' },
    origin: 'system',
    state: 'active',
  }));
  return { id, network, tags: {}, routes: [...local, ...routes], ...extra };
}

/** A network with one main route table. */
export function network(ref: NetworkRef, cidrs: string[], tags: Record<string, string>, routes: Route[] = []): Network {
  return { ref, cidrs, tags, routeTables: [table(`rtb-${ref.id}`, ref, cidrs, routes, { main: true })] };
}

export const peeringRoute = (destination: string, peeringId: string, state: Route['state'] = 'active'): Route => ({
  destination,
  target: { kind: 'peering', peeringId },
  origin: 'static',
  state,
});
export const otherRoute = (destination: string, id: string): Route => ({
  destination,
  target: { kind: 'other', id },
  origin: 'static',
  state: 'active',
});

/** A peering between two networks. */
export function peering(
  id: string,
  requester: Network | NetworkRef,
  accepter: Network | NetworkRef,
  state: Peering['state'],
  extra: Partial<Peering> = {},
): Peering {
  const ref = (n: Network | NetworkRef) => ('ref' in n ? n.ref : n);
  const cidrs = (n: Network | NetworkRef) => ('ref' in n ? { cidrs: n.cidrs } : {});
  const r = cidrs(requester);
  const a = cidrs(accepter);
  return {
    id,
    cloud: ref(requester).cloud,
    requester: ref(requester),
    accepter: ref(accepter),
    state,
    options: {},
    tags: {},
    ...(r.cidrs ? { requesterCidrs: r.cidrs } : {}),
    ...(a.cidrs ? { accepterCidrs: a.cidrs } : {}),
    ...extra,
  };
}

/** An estate snapshot. */
export function estate(networks: Network[], peerings: Peering[] = [], extra: Partial<Estate> = {}): Estate {
  return {
    version: 1,
    observedAt: '2026-11-20T12:00:00.000Z',
    complete: true,
    gaps: [],
    accounts: [],
    networks,
    peerings,
    ...extra,
  };
}

export const HUB = '111111111111';
export const SPOKE_A = '222222222222';
export const SPOKE_B = '333333333333';
export const PARTNER = '999999999999';
export const STRANGER = '555555555555';

/** The hub-spoke + partner policy most planner tests use; override any part. */
export function hubSpokePolicy(overrides: Partial<PolicyInput> = {}): Policy {
  return PolicySchema.parse({
    version: 1,
    providers: { aws: { regions: ['us-east-1'], accounts: [HUB, SPOKE_A, SPOKE_B] } },
    groups: {
      hub: { cloud: 'aws', account: HUB, tags: { role: 'hub' } },
      spokes: { cloud: 'aws', tags: { role: 'spoke' } },
      partners: { cloud: 'aws', account: [PARTNER] },
    },
    connections: [
      { name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes', approval: 'auto' },
      { name: 'partner-link', topology: 'pair', between: ['partners', 'hub'], approval: 'chat' },
    ],
    deny: [{ between: ['spokes', 'spokes'], reason: 'spokes talk through the hub' }],
    approvals: { approvers: ['U012AB3CD'], ttl: '72h' },
    ...overrides,
  });
}

export const NOW = new Date('2026-11-20T12:00:00.000Z');
