import fc from 'fast-check';
import type { Estate, Network, Peering, Route } from '../../shared/model';
import type { Policy } from '../../shared/policy/schema';
import { HUB, PARTNER, SPOKE_A, SPOKE_B, STRANGER, awsRef, estate, hubSpokePolicy, table } from './estate-builder';

// A small pool of ranges so overlaps, duplicates and v4/v6 mixes happen often.
const CIDRS = [
  '10.0.0.0/16',
  '10.1.0.0/16',
  '10.2.0.0/16',
  '10.3.0.0/16',
  '10.1.128.0/20',
  '172.16.0.0/16',
  '2600:1f18:1000::/56',
  '2600:1f18:2000::/56',
  '2600:1f18:1000::/60',
];
const ACCOUNTS = [HUB, SPOKE_A, SPOKE_B];
const ROLES = ['hub', 'spoke', 'spoke', 'other'];

const networkArb = (i: number) =>
  fc
    .record({
      account: fc.constantFrom(...ACCOUNTS),
      role: fc.constantFrom(...ROLES),
      cidrs: fc.uniqueArray(fc.constantFrom(...CIDRS), { minLength: 1, maxLength: 2 }),
      extraTables: fc.nat(1),
    })
    .map(({ account, role, cidrs, extraTables }): Network => {
      const ref = awsRef(account, `vpc-${i}`);
      const tables = [
        table(`rtb-${i}-main`, ref, cidrs, [], { main: true }),
        ...Array.from({ length: extraTables }, (_, t) => table(`rtb-${i}-${t}`, ref, cidrs)),
      ];
      return { ref, cidrs, tags: { role }, routeTables: tables };
    });

const peeringArb = (networks: Network[], i: number) =>
  fc
    .record({
      from: fc.nat(networks.length + 1),
      to: fc.nat(networks.length - 1),
      state: fc.constantFrom<Peering['state']>('requested', 'active', 'active', 'deleted', 'failed'),
      managed: fc.boolean(),
      cidr: fc.constantFrom(...CIDRS),
    })
    .map(({ from, to, state, managed, cidr }): Peering | undefined => {
      const accepter = networks[to]!;
      // Indexes past the end stand for a partner and a stranger we cannot observe.
      const outsider =
        from === networks.length
          ? awsRef(PARTNER, 'vpc-partner')
          : from === networks.length + 1
            ? awsRef(STRANGER, 'vpc-stranger')
            : undefined;
      const requester = outsider ?? networks[from]!.ref;
      if (requester.id === accepter.ref.id) return undefined;
      return {
        id: `pcx-${i}`,
        cloud: 'aws',
        requester,
        accepter: accepter.ref,
        state,
        options: {},
        tags: managed && !outsider ? { 'peerkeeper:managed': 'true' } : {},
        requesterCidrs: outsider ? [cidr] : networks[from]!.cidrs,
        accepterCidrs: accepter.cidrs,
      };
    });

/** Random AWS estates: hubs, spokes and others, peerings in every state, partner and stranger requests, random routes. */
export const estateArb: fc.Arbitrary<Estate> = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => networkArb(i))).chain((networks) =>
    fc
      .tuple(
        fc.array(fc.nat(30), { maxLength: 5 }).chain((ids) => fc.tuple(...ids.map((_, i) => peeringArb(networks, i)))),
        fc.array(
          fc.record({
            net: fc.nat(n - 1),
            dest: fc.constantFrom(...CIDRS, '0.0.0.0/0'),
            via: fc.constantFrom('igw-1', 'nat-1', 'tgw-1', 'pcx-0', 'pcx-1', 'pcx-2', 'pcx-foreign'),
          }),
          { maxLength: 8 },
        ),
      )
      .map(([peerings, routes]) => {
        const copy = structuredClone(networks);
        for (const r of routes) {
          const t = copy[r.net]!.routeTables[0]!;
          if (t.routes.some((x) => x.destination === r.dest)) continue;
          const route: Route = r.via.startsWith('pcx-')
            ? { destination: r.dest, target: { kind: 'peering', peeringId: r.via }, origin: 'static', state: 'active' }
            : { destination: r.dest, target: { kind: 'other', id: r.via }, origin: 'static', state: 'active' };
          t.routes.push(route);
        }
        const unique = new Map<string, Peering>();
        for (const p of peerings) if (p) unique.set(p.id, p);
        return estate(copy, [...unique.values()]);
      }),
  ),
);

/** Random variations of the hub-spoke policy: approval mode, drift settings, unmatched requests. */
export const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    approval: fc.constantFrom<'auto' | 'chat'>('auto', 'chat'),
    routes: fc.constantFrom<'revert' | 'report'>('revert', 'report'),
    peerings: fc.constantFrom<'revert' | 'report'>('revert', 'report'),
    unmatched: fc.constantFrom<'reject' | 'ignore' | 'chat'>('reject', 'ignore', 'chat'),
  })
  .map((o) =>
    hubSpokePolicy({
      connections: [
        { name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes', approval: 'auto' },
        { name: 'partner-link', topology: 'pair', between: ['partners', 'hub'], approval: o.approval },
      ],
      drift: { routes: o.routes, peerings: o.peerings, unknownPeerings: 'report' },
      unmatchedRequests: o.unmatched,
      limits: { maxChangesPerRun: 1000 },
    }),
  );
