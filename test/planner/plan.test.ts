import { planScope } from '../../shared/planner';
import type { Action, Estate } from '../../shared/model';
import {
  HUB,
  NOW,
  PARTNER,
  SPOKE_A,
  SPOKE_B,
  STRANGER,
  awsRef,
  estate,
  hubSpokePolicy,
  network,
  otherRoute,
  peering,
  peeringRoute,
} from '../support/estate-builder';

const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16', '2600:1f18:1000::/56'], { role: 'hub' }, [
  otherRoute('0.0.0.0/0', 'igw-1'),
]);
const spokeA = network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' });
const spokeB = network(awsRef(SPOKE_B, 'vpc-b'), ['10.2.0.0/16'], { role: 'spoke' });
const managed = { [`peerkeeper:managed`]: 'true' };

function plan(e: Estate, policy = hubSpokePolicy()) {
  return planScope({ policy, observation: e, now: NOW });
}
const kinds = (actions: Action[]) => actions.map((a) => a.action);

describe('planScope', () => {
  const cases: Record<string, { reason: string; estate: Estate; want: string[] }> = {
    'new spoke': {
      reason: 'a spoke with no peering gets create, accept, and a route per peer CIDR (v4 and v6) on both sides',
      estate: estate([hub, spokeA]),
      want: ['create-peering', 'accept-peering', 'create-route', 'create-route'],
    },
    converged: {
      reason: 'an active managed peering with every route in place needs nothing',
      estate: estate(
        [
          network(hub.ref, hub.cidrs, hub.tags, [
            otherRoute('0.0.0.0/0', 'igw-1'),
            peeringRoute('10.1.0.0/16', 'pcx-1'),
          ]),
          network(spokeA.ref, spokeA.cidrs, spokeA.tags, [peeringRoute('10.0.0.0/16', 'pcx-1')]),
        ],
        [peering('pcx-1', spokeA, hub, 'active', { tags: managed })],
      ),
      want: [],
    },
    'drifted route': {
      reason: 'a managed route pointed elsewhere is replaced; the igw default route is left alone',
      estate: estate(
        [
          network(hub.ref, hub.cidrs, hub.tags, [otherRoute('0.0.0.0/0', 'igw-1'), otherRoute('10.1.0.0/16', 'nat-1')]),
          network(spokeA.ref, spokeA.cidrs, spokeA.tags, [peeringRoute('10.0.0.0/16', 'pcx-1')]),
        ],
        [peering('pcx-1', spokeA, hub, 'active', { tags: managed })],
      ),
      want: ['replace-route'],
    },
    'stale managed route': {
      reason: 'a route through our peering to a range nobody wants any more is deleted',
      estate: estate(
        [
          network(hub.ref, hub.cidrs, hub.tags, [
            peeringRoute('10.1.0.0/16', 'pcx-1'),
            peeringRoute('10.99.0.0/16', 'pcx-1'),
          ]),
          network(spokeA.ref, spokeA.cidrs, spokeA.tags, [peeringRoute('10.0.0.0/16', 'pcx-1')]),
        ],
        [peering('pcx-1', spokeA, hub, 'active', { tags: managed })],
      ),
      want: ['delete-route'],
    },
    'unmanaged peering route': {
      reason: 'a route through a live peering peerkeeper does not own is never deleted',
      estate: estate(
        [
          network(hub.ref, hub.cidrs, hub.tags, [
            peeringRoute('10.1.0.0/16', 'pcx-1'),
            peeringRoute('10.99.0.0/16', 'pcx-foreign'),
          ]),
          network(spokeA.ref, spokeA.cidrs, spokeA.tags, [peeringRoute('10.0.0.0/16', 'pcx-1')]),
        ],
        [
          peering('pcx-1', spokeA, hub, 'active', { tags: managed }),
          peering('pcx-foreign', awsRef(STRANGER, 'vpc-x'), hub, 'active', { requesterCidrs: ['10.99.0.0/16'] }),
        ],
      ),
      want: ['report'],
    },
    'route to a vanished peering': {
      reason:
        'a route through a peering that no longer exists (EC2 lists every peering of the account) is stale: cleaned up, not an obstacle',
      estate: estate(
        [
          network(hub.ref, hub.cidrs, hub.tags, [
            peeringRoute('10.1.0.0/16', 'pcx-1'),
            peeringRoute('10.99.0.0/16', 'pcx-gone', 'blackhole'),
          ]),
          network(spokeA.ref, spokeA.cidrs, spokeA.tags, [peeringRoute('10.0.0.0/16', 'pcx-1')]),
        ],
        [peering('pcx-1', spokeA, hub, 'active', { tags: managed })],
      ),
      want: ['delete-route'],
    },
    'deleted managed peering': {
      reason: 'a managed peering someone deleted is recreated, and its blackholed routes repointed',
      estate: estate(
        [
          network(hub.ref, hub.cidrs, hub.tags, [peeringRoute('10.1.0.0/16', 'pcx-1', 'blackhole')]),
          network(spokeA.ref, spokeA.cidrs, spokeA.tags, [peeringRoute('10.0.0.0/16', 'pcx-1', 'blackhole')]),
        ],
        [peering('pcx-1', spokeA, hub, 'deleted', { tags: managed })],
      ),
      want: ['create-peering', 'accept-peering', 'replace-route', 'replace-route'],
    },
    'partner request': {
      reason: 'a request from a listed partner on a chat connection asks a human',
      estate: estate(
        [hub],
        [peering('pcx-p', awsRef(PARTNER, 'vpc-p'), hub, 'requested', { requesterCidrs: ['172.16.0.0/16'] })],
      ),
      want: ['request-approval'],
    },
    'stranger request': {
      reason: 'a request from an account the policy does not list is rejected',
      estate: estate(
        [hub],
        [peering('pcx-s', awsRef(STRANGER, 'vpc-s'), hub, 'requested', { requesterCidrs: ['172.16.0.0/16'] })],
      ),
      want: ['reject-peering'],
    },
    'denied request': {
      reason: 'spoke-to-spoke is denied, so the request is rejected even though both are ours',
      estate: estate([spokeA, spokeB], [peering('pcx-d', spokeB, spokeA, 'requested')]),
      want: ['reject-peering'],
    },
    'unmanaged active peering': {
      reason: 'an active peering the policy does not know is reported, never deleted',
      estate: estate([spokeA, spokeB], [peering('pcx-x', spokeB, spokeA, 'active')]),
      want: ['report'],
    },
    'managed peering no longer wanted': {
      reason: 'a peering peerkeeper created that the policy now denies is deleted',
      estate: estate([spokeA, spokeB], [peering('pcx-x', spokeB, spokeA, 'active', { tags: managed })]),
      want: ['delete-peering'],
    },
    'overlapping spoke': {
      reason: 'a spoke overlapping the hub is refused and reported, not peered',
      estate: estate([hub, network(awsRef(SPOKE_A, 'vpc-o'), ['10.0.128.0/20'], { role: 'spoke' })]),
      want: ['report'],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    expect(kinds(plan(c.estate).actions)).toEqual(c.want);
  });

  it('holds every change of an incomplete observation that does not say which partition it missed', () => {
    const e = cases['stale managed route']!.estate;
    const p = plan({ ...e, complete: false, gaps: ['aws:111111111111: DescribeRouteTables failed'] });
    expect(kinds(p.actions)).toEqual([]);
    expect(p.held.map((h) => h.action.action)).toEqual(['delete-route']);
    expect(p.complete).toBe(false);
    expect(p.problems.map((x) => x.code)).toEqual(['incomplete-observation', 'held']);
  });

  it('caps the changes of one run and says how many were deferred', () => {
    const p = plan(estate([hub, spokeA, spokeB]), hubSpokePolicy({ limits: { maxChangesPerRun: 3 } }));
    expect(p.actions.filter((a) => a.action !== 'report')).toHaveLength(3);
    expect(p.problems.find((x) => x.code === 'change-limit')?.message).toMatch(/deferred/);
  });

  it('orders peerings before routes and route deletes before peering deletes', () => {
    const e = estate(
      [network(hub.ref, hub.cidrs, hub.tags, [peeringRoute('10.9.0.0/16', 'pcx-old')]), spokeA],
      [
        peering('pcx-old', network(awsRef(SPOKE_B, 'vpc-gone'), ['10.9.0.0/16'], { role: 'other' }), hub, 'active', {
          tags: managed,
        }),
      ],
    );
    const order = kinds(
      plan({
        ...e,
        networks: [...e.networks, network(awsRef(SPOKE_B, 'vpc-gone'), ['10.9.0.0/16'], { role: 'other' })],
      }).actions,
    );
    expect(order.indexOf('create-peering')).toBeLessThan(order.indexOf('create-route'));
    expect(order.indexOf('delete-route')).toBeLessThan(order.indexOf('delete-peering'));
  });

  it('an event on a deleted managed peering recreates it with its accept and routes, though the new one has no id yet', () => {
    const e = cases['deleted managed peering']!.estate;
    const p = planScope({
      policy: hubSpokePolicy(),
      observation: e,
      now: NOW,
      scope: { kind: 'peering', cloud: 'aws', account: HUB, region: 'us-east-1', peeringId: 'pcx-1' },
    });
    expect(kinds(p.actions)).toEqual(['create-peering', 'accept-peering', 'replace-route', 'replace-route']);
    expect(p.actions[0]).toMatchObject({ replaces: 'pcx-1' });
  });

  it('routes to a partner through an accepted peering use the CIDRs the peering announced', () => {
    const e = estate(
      [hub],
      [peering('pcx-p', awsRef(PARTNER, 'vpc-p'), hub, 'requested', { requesterCidrs: ['172.16.0.0/16'] })],
    );
    const p = planScope({
      policy: hubSpokePolicy(),
      observation: e,
      now: NOW,
      decisions: new Map([['pcx-p', 'approved' as const]]),
    });
    expect(kinds(p.actions)).toEqual(['accept-peering', 'create-route']);
    expect(p.actions[1]).toMatchObject({
      target: { destination: '172.16.0.0/16' },
      after: { kind: 'peering', peering: { id: 'pcx-p' } },
    });
  });
});
