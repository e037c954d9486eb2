import type { Network, Peering, Route } from '../../shared/model';
import { CONNECTION_TAG, MANAGED_TAG } from '../../shared/model';
import type { Policy } from '../../shared/policy/schema';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import { reconcileScope } from '../../shared/reconcile';
import {
  HUB,
  NOW,
  SPOKE_A,
  SPOKE_B,
  awsRef,
  estate,
  hubSpokePolicy,
  network,
  otherRoute,
  peering,
  peeringRoute,
} from '../support/estate-builder';

const OURS = { [MANAGED_TAG]: 'true', [CONNECTION_TAG]: 'spokes-to-hub' };
const spokeA = network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' });
const spokeB = network(awsRef(SPOKE_B, 'vpc-b'), ['10.2.0.0/16'], { role: 'spoke' });
const otherB = network(awsRef(SPOKE_B, 'vpc-b'), ['10.2.0.0/16'], { role: 'other' });

interface Case {
  name: string;
  reason: string;
  /** The hub table's routes besides the local one. */
  hubRoutes: Route[];
  peerings: (hub: Network) => Peering[];
  far?: Network[];
  policy?: Policy;
  /** Whether the network behind the link under test (vpc-a unless told) was observed. */
  readsFarSide: boolean;
  farId?: string;
  results: [string, string][];
  /** Destination → where the hub routes it afterwards. */
  after: Record<string, string>;
}

const hubOf = (routes: Route[]) => network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' }, routes);
const linkA = (hub: Network, extra: Partial<Peering> = {}) =>
  peering('pcx-a', spokeA, hub, 'active', { tags: OURS, ...extra });

const CASES: Case[] = [
  {
    name: 'owned active link, route pointed at a NAT gateway',
    reason:
      'the peering record (tagged ours for a connection the policy has) gives the range; the far side is not read',
    hubRoutes: [otherRoute('10.1.0.0/16', 'nat-0drift')],
    peerings: (h) => [linkA(h)],
    readsFarSide: false,
    results: [['replace-route', 'done']],
    after: { '10.1.0.0/16': 'pcx-a' },
  },
  {
    name: 'owned active link whose route was deleted',
    reason: 'creating a route needs a full view (the sweep may have removed it for a link it no longer keeps)',
    hubRoutes: [],
    peerings: (h) => [linkA(h)],
    readsFarSide: true,
    results: [['create-route', 'done']],
    after: { '10.1.0.0/16': 'pcx-a' },
  },
  {
    name: 'owned active link with a stale route through it',
    reason: 'deleting a route through a link is judged only with both sides in view',
    hubRoutes: [peeringRoute('10.1.0.0/16', 'pcx-a'), peeringRoute('10.9.0.0/16', 'pcx-a')],
    peerings: (h) => [linkA(h)],
    readsFarSide: true,
    results: [['delete-route', 'done']],
    after: { '10.1.0.0/16': 'pcx-a' },
  },
  {
    name: 'active link without peerkeeper tags (created from the far account)',
    reason: 'ownership is not visible from this side: the far side is read, then the full view reverts it',
    hubRoutes: [otherRoute('10.1.0.0/16', 'nat-0drift')],
    peerings: (h) => [linkA(h, { tags: {} })],
    readsFarSide: true,
    results: [['replace-route', 'done']],
    after: { '10.1.0.0/16': 'pcx-a' },
  },
  {
    name: 'managed tag but no connection tag',
    reason: 'which connection (and table selector) the link serves is unknown from this side',
    hubRoutes: [otherRoute('10.1.0.0/16', 'nat-0drift')],
    peerings: (h) => [linkA(h, { tags: { [MANAGED_TAG]: 'true' } })],
    readsFarSide: true,
    results: [['replace-route', 'done']],
    after: { '10.1.0.0/16': 'pcx-a' },
  },
  {
    name: 'tagged link to a network the policy does not want (role other)',
    reason:
      'the spokes group selects by account and rules the far account out: the far side is read and the NAT route stays',
    hubRoutes: [otherRoute('10.2.0.0/16', 'nat-0mine')],
    peerings: (h) => [peering('pcx-b', otherB, h, 'active', { tags: OURS })],
    far: [spokeA, otherB],
    policy: hubSpokePolicy({
      groups: {
        hub: { cloud: 'aws', account: HUB, tags: { role: 'hub' } },
        spokes: { cloud: 'aws', account: [SPOKE_A], tags: { role: 'spoke' } },
      },
    }),
    readsFarSide: true,
    farId: 'vpc-b',
    results: [],
    after: { '10.2.0.0/16': 'nat-0mine' },
  },
  {
    name: 'pending request tagged ours',
    reason: 'only an active link is restored from one side',
    hubRoutes: [otherRoute('10.1.0.0/16', 'nat-0drift')],
    peerings: (h) => [linkA(h, { state: 'requested' })],
    readsFarSide: true,
    results: [],
    after: { '10.1.0.0/16': 'nat-0drift' },
  },
  {
    name: 'untagged link to a network outside every group',
    reason: 'a route that is not ours: the far side is read to judge it, and the NAT route is left alone',
    hubRoutes: [otherRoute('10.2.0.0/16', 'nat-0mine')],
    peerings: (h) => [peering('pcx-b', otherB, h, 'active')],
    far: [spokeA, otherB],
    readsFarSide: true,
    farId: 'vpc-b',
    results: [],
    after: { '10.2.0.0/16': 'nat-0mine' },
  },
  {
    name: 'owned link converged, an unrelated route elsewhere',
    reason: 'a route to no peer range is not ours; a converged link needs no far-side read',
    hubRoutes: [peeringRoute('10.1.0.0/16', 'pcx-a'), otherRoute('192.168.0.0/16', 'nat-0mine')],
    peerings: (h) => [linkA(h)],
    readsFarSide: false,
    results: [],
    after: { '10.1.0.0/16': 'pcx-a', '192.168.0.0/16': 'nat-0mine' },
  },
  {
    name: 'owned link whose range overlaps another live peer of the hub',
    reason: "which link keeps a contested range is a full view's call",
    hubRoutes: [otherRoute('10.1.0.0/16', 'nat-0drift')],
    peerings: (h) => [
      linkA(h),
      peering('pcx-c', awsRef(SPOKE_B, 'vpc-c'), h, 'active', { requesterCidrs: ['10.1.0.0/20'] }),
    ],
    readsFarSide: true,
    results: [],
    after: { '10.1.0.0/16': 'nat-0drift' },
  },
  {
    name: 'a wanted spoke not peered yet, in an account a group names',
    reason:
      "a route-table scope reads no account a group merely names (DESIGN §12); the link waits for the pair's own scope",
    hubRoutes: [],
    peerings: () => [],
    policy: hubSpokePolicy({
      groups: {
        hub: { cloud: 'aws', account: HUB, tags: { role: 'hub' } },
        spokes: { cloud: 'aws', account: [SPOKE_A], tags: { role: 'spoke' } },
      },
    }),
    readsFarSide: false,
    results: [],
    after: {},
  },
];

const hubTable = (memory: MemoryCloud) => memory.networks.get(`aws:${HUB}:us-east-1:vpc-hub`)!.routeTables[0]!;
const targetOf = (r: Route) => (r.target.kind === 'peering' ? r.target.peeringId : r.target.id);

describe('route-table scope: far-side reads and what one side may restore', () => {
  it.each(CASES)('$name', async (c) => {
    const hub = hubOf(c.hubRoutes);
    const memory = new MemoryCloud(estate([hub, ...(c.far ?? [spokeA, spokeB])], c.peerings(hub)), () => NOW);
    const policy = c.policy ?? hubSpokePolicy();
    const r = await reconcileScope(
      { kind: 'route-table', cloud: 'aws', account: HUB, region: 'us-east-1', routeTableId: hubTable(memory).id },
      { policy, providers: memoryProviders(memory), now: () => NOW },
    );
    const observed = r.observation.networks.map((n) => n.ref.id);
    expect({ reason: c.reason, readsFarSide: observed.includes(c.farId ?? 'vpc-a') }).toEqual({
      reason: c.reason,
      readsFarSide: c.readsFarSide,
    });
    expect(r.results.filter((x) => x.action.action !== 'report').map((x) => [x.action.action, x.status])).toEqual(
      c.results,
    );
    const routes = Object.fromEntries(
      hubTable(memory)
        .routes.filter((x) => x.origin === 'static')
        .map((x) => [x.destination, targetOf(x)]),
    );
    expect(routes).toEqual(c.after);
  });
});
