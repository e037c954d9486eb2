import type { Action, Estate, Plan, UnreadPartition } from '../../shared/model';
import { isMutating } from '../../shared/model';
import { planScope } from '../../shared/planner';
import type { Policy } from '../../shared/policy/schema';
import {
  HUB,
  NOW,
  PARTNER,
  SPOKE_A,
  SPOKE_B,
  awsRef,
  estate,
  hubSpokePolicy,
  network,
  otherRoute,
  peering,
  peeringRoute,
  table,
} from '../support/estate-builder';

/*
 * The problems issue 12 reproduced on estates shaped like real ones, one case each: every case failed on the
 * planner before the issue (a crash, an accept or create a full read refuses, drift repair stopped everywhere,
 * two overlapping links, a /0 peer, a stale route that blocks re-peering, a quota taken as a constant).
 */

const managed = { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'spokes-to-hub' };
const hubRef = awsRef(HUB, 'vpc-hub');
const spokeRef = awsRef(SPOKE_A, 'vpc-a');
const PARTNER_2 = '888888888888';
const autoPartners = (extra: Partial<Parameters<typeof hubSpokePolicy>[0]> = {}): Policy =>
  hubSpokePolicy({
    groups: {
      hub: { cloud: 'aws', account: HUB, tags: { role: 'hub' } },
      spokes: { cloud: 'aws', tags: { role: 'spoke' } },
      partners: { cloud: 'aws', account: [PARTNER, PARTNER_2] },
    },
    connections: [
      { name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes', approval: 'auto' },
      { name: 'partner-link', topology: 'pair', between: ['partners', 'hub'], approval: 'auto' },
    ],
    ...extra,
  });
const unread = (account: string, reason: string): UnreadPartition => ({
  cloud: 'aws',
  account,
  region: 'us-east-1',
  reason,
});
const kinds = (actions: readonly Action[]) => actions.map((a) => a.action);
const mutations = (p: Plan) => p.actions.filter(isMutating);

interface Case {
  reason: string;
  policy?: Policy;
  observation: Estate;
  check: (plan: Plan) => void;
}

const cases: Record<string, Case> = {
  '1 prefix-list routes': {
    reason:
      'an S3 gateway endpoint puts a pl- destination in the hub table; it is a destination, not a CIDR, and a private spoke range is planned around it',
    observation: estate([
      network(hubRef, ['10.0.0.0/16'], { role: 'hub' }, [
        otherRoute('0.0.0.0/0', 'igw-1'),
        otherRoute('pl-63a5400a', 'vpce-0s3'),
      ]),
      network(spokeRef, ['10.1.0.0/16'], { role: 'spoke' }, [otherRoute('pl-02cd2c6b', 'vpce-0ddb')]),
    ]),
    check: (p) =>
      expect(kinds(p.actions)).toEqual(['create-peering', 'accept-peering', 'create-route', 'create-route']),
  },
  '1b customer-managed prefix lists': {
    reason:
      'a pl- destination that is not a gateway endpoint (here through a transit gateway) may hold any range: it is an obstacle, reported, never crossed',
    observation: estate([
      network(hubRef, ['10.0.0.0/16'], { role: 'hub' }, [otherRoute('pl-0custom', 'tgw-1')]),
      network(spokeRef, ['10.1.0.0/16'], { role: 'spoke' }),
    ]),
    check: (p) => {
      expect(mutations(p)).toEqual([]);
      expect(p.actions.map((a) => a.reason).join('\n')).toMatch(/10\.1\.0\.0\/16 is already routed as pl-0custom/);
    },
  },
  '2 hub tables unread': {
    reason:
      'DescribeRouteTables throttled in the hub: the hub is seen without tables, so a partner overlapping a transit route looks free; the accept and the spoke create depend on the hub partition and are held',
    policy: autoPartners(),
    observation: estate(
      [
        { ...network(hubRef, ['10.0.0.0/16'], { role: 'hub' }), routeTables: [] },
        network(spokeRef, ['10.8.0.0/16'], { role: 'spoke' }),
      ],
      [peering('pcx-p', awsRef(PARTNER, 'vpc-p'), hubRef, 'requested', { requesterCidrs: ['10.9.0.0/16'] })],
      {
        complete: false,
        gaps: ['aws:111111111111:us-east-1: DescribeRouteTables failed (Throttling)'],
        unread: [unread(HUB, 'DescribeRouteTables failed (Throttling)')],
      },
    ),
    check: (p) => {
      expect(mutations(p)).toEqual([]);
      expect(kinds(p.held.map((h) => h.action)).sort()).toEqual([
        'accept-peering',
        'accept-peering',
        'create-peering',
        'create-route',
      ]);
      for (const h of p.held) expect(h.waitingFor).toEqual(['aws:111111111111:us-east-1']);
      expect(p.held[0]!.reason).toMatch(/Throttling/);
    },
  },
  '3 one unreadable account': {
    reason:
      'a governed partner account grants no role: its own links wait, route drift of the spokes is still repaired',
    policy: autoPartners(),
    observation: estate(
      [
        network(hubRef, ['10.0.0.0/16'], { role: 'hub' }, [otherRoute('10.1.0.0/16', 'nat-drift')]),
        network(spokeRef, ['10.1.0.0/16'], { role: 'spoke' }, [peeringRoute('10.0.0.0/16', 'pcx-1')]),
      ],
      [peering('pcx-1', spokeRef, hubRef, 'active', { tags: managed })],
      {
        complete: false,
        gaps: ['aws:888888888888:us-east-1: AssumeRole failed (AccessDenied)'],
        unread: [unread(PARTNER_2, 'AssumeRole failed (AccessDenied)')],
      },
    ),
    check: (p) => {
      expect(kinds(mutations(p))).toEqual(['replace-route']);
      expect(p.held).toEqual([]);
      expect(p.partitions).toEqual([
        {
          cloud: 'aws',
          account: PARTNER_2,
          region: 'us-east-1',
          complete: false,
          reasons: ['AssumeRole failed (AccessDenied)'],
        },
      ]);
    },
  },
  '4 two overlapping requests': {
    reason:
      'two listed partners ask with the same range: the older request (earlier AWS expiry) is accepted, the other rejected in the same plan',
    policy: autoPartners(),
    observation: estate(
      [network(hubRef, ['10.0.0.0/16'], { role: 'hub' })],
      [
        peering('pcx-young', awsRef(PARTNER_2, 'vpc-q'), hubRef, 'requested', {
          requesterCidrs: ['172.20.0.0/16'],
          expiresAt: '2026-11-26T00:00:00.000Z',
        }),
        peering('pcx-old', awsRef(PARTNER, 'vpc-p'), hubRef, 'requested', {
          requesterCidrs: ['172.20.0.0/16'],
          expiresAt: '2026-11-25T00:00:00.000Z',
        }),
      ],
    ),
    check: (p) => {
      const decided = Object.fromEntries(
        p.actions
          .filter((a) => a.action === 'accept-peering' || a.action === 'reject-peering')
          .map((a) => [(a.target as { id: string }).id, a.action]),
      );
      expect(decided).toEqual({ 'pcx-old': 'accept-peering', 'pcx-young': 'reject-peering' });
      expect(p.actions.find((a) => a.action === 'reject-peering')!.reason).toMatch(
        /172\.20\.0\.0\/16 overlaps 172\.20\.0\.0\/16, which this plan routes/,
      );
    },
  },
  '5 whole-space peer': {
    reason:
      'a peer announcing ::/0 would take over the default route (::/0 → eigw): rejected, and no /0 route is ever written',
    policy: autoPartners(),
    observation: estate(
      [network(hubRef, ['10.0.0.0/16', '2600:1f18:1000::/56'], { role: 'hub' }, [otherRoute('::/0', 'eigw-1')])],
      [
        peering('pcx-any', awsRef(PARTNER, 'vpc-p'), hubRef, 'requested', {
          requesterCidrs: ['172.20.0.0/16', '::/0'],
        }),
      ],
    ),
    check: (p) => {
      expect(kinds(p.actions)).toEqual(['reject-peering']);
      expect(p.actions[0]!.reason).toMatch(/::\/0, the whole address space/);
    },
  },
  '7 stale routes': {
    reason:
      'routes (active and blackhole) to a managed peering that is gone no longer count as foreign: the link is re-created and the routes repointed',
    observation: estate([
      network(hubRef, ['10.0.0.0/16'], { role: 'hub' }, [peeringRoute('10.1.0.0/16', 'pcx-gone', 'blackhole')]),
      network(spokeRef, ['10.1.0.0/16'], { role: 'spoke' }, [peeringRoute('10.0.0.0/16', 'pcx-gone')]),
    ]),
    check: (p) =>
      expect(kinds(p.actions)).toEqual(['create-peering', 'accept-peering', 'replace-route', 'replace-route']),
  },
  '9 quotas from the account': {
    reason:
      'a hub table holding 1,000 routes under an applied quota of 1,000 has no room: the link is not created, and the plan names the full table',
    observation: estate(
      [
        {
          ...network(hubRef, ['10.0.0.0/16'], { role: 'hub' }),
          routeTables: [
            table(
              'rtb-full',
              hubRef,
              ['10.0.0.0/16'],
              Array.from({ length: 999 }, (_, k) => otherRoute(`198.${18 + (k >> 8)}.${k & 255}.0/24`, 'tgw-1')),
              { main: true },
            ),
          ],
        },
        network(spokeRef, ['10.1.0.0/16'], { role: 'spoke' }),
      ],
      [],
      { accounts: [{ cloud: 'aws', account: HUB, labels: {}, quotas: { routesPerTable: 1000 } }] },
    ),
    check: (p) => {
      expect(mutations(p)).toEqual([]);
      expect(p.actions[0]!.reason).toMatch(
        /route table rtb-full of .* holds 1000 of 1000 routes and needs 1 more \(quota of account 111111111111/,
      );
    },
  },
  '9b quotas from the policy': {
    reason:
      'the same table under `limits.aws.routesPerTable: 1000` with 999 routes still has room for one route: the link is created',
    policy: hubSpokePolicy({ limits: { maxChangesPerRun: 50, aws: { routesPerTable: 1000 } } }),
    observation: estate([
      {
        ...network(hubRef, ['10.0.0.0/16'], { role: 'hub' }),
        routeTables: [
          table(
            'rtb-full',
            hubRef,
            [],
            Array.from({ length: 999 }, (_, k) => otherRoute(`198.${18 + (k >> 8)}.${k & 255}.0/24`, 'tgw-1')),
            { main: true },
          ),
        ],
      },
      network(spokeRef, ['10.1.0.0/16'], { role: 'spoke' }),
    ]),
    check: (p) =>
      expect(kinds(mutations(p))).toEqual(['create-peering', 'accept-peering', 'create-route', 'create-route']),
  },
  'transit routes are never replaced': {
    reason:
      "a static route to a transit gateway at a spoke's exact range is someone's design: reported, not replaced (a NAT there is drift and is reverted: case 3)",
    observation: estate(
      [
        network(hubRef, ['10.0.0.0/16'], { role: 'hub' }, [otherRoute('10.1.0.0/16', 'tgw-1')]),
        network(spokeRef, ['10.1.0.0/16'], { role: 'spoke' }, [peeringRoute('10.0.0.0/16', 'pcx-1')]),
      ],
      [peering('pcx-1', spokeRef, hubRef, 'active', { tags: managed })],
    ),
    check: (p) => {
      expect(mutations(p)).toEqual([]);
      expect(p.actions.map((a) => a.reason).join('\n')).toMatch(/routed to tgw-1, someone's routing design/);
    },
  },
  'ipv6 only where the network has ipv6': {
    reason:
      "the hub's IPv6 range is not written into an IPv4-only spoke (it would carry nothing and use quota), nor the spoke's v4 into an IPv6-only network",
    observation: estate([
      network(hubRef, ['10.0.0.0/16', '2600:1f18:1000::/56'], { role: 'hub' }),
      network(spokeRef, ['10.1.0.0/16'], { role: 'spoke' }),
      network(awsRef(SPOKE_B, 'vpc-v6'), ['2600:1f18:3000::/56'], { role: 'spoke' }),
    ]),
    check: (p) => {
      const routes = p.actions
        .filter((a) => a.action === 'create-route')
        .map((a) => `${a.target.network.id} ${a.target.destination}`)
        .sort();
      expect(routes).toEqual([
        'vpc-a 10.0.0.0/16',
        'vpc-hub 10.1.0.0/16',
        'vpc-hub 2600:1f18:3000::/56',
        'vpc-v6 2600:1f18:1000::/56',
      ]);
    },
  },
};

describe('plans for estates shaped like real ones (issue 12)', () => {
  it.each(Object.entries(cases))('%s', (_name, c) => {
    const plan = planScope({ policy: c.policy ?? hubSpokePolicy(), observation: c.observation, now: NOW });
    c.check(plan);
  });
});
