import fc from 'fast-check';
import { cidrsOverlap, findFirstOverlap } from '../../shared/cidr';
import type { Action, Estate, NetworkRef, Peering, Route } from '../../shared/model';
import { CONNECTION_TAG, MANAGED_TAG, isDestructive, isMutating, networkKey } from '../../shared/model';
import { planScope } from '../../shared/planner';
import { listedAccounts } from '../../shared/policy';
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
  network,
  otherRoute,
  peering,
  peeringRoute,
} from '../support/estate-builder';
import { estateArb, policyArb } from '../support/random-estate';

const plan = (policy: Policy, e: Estate) => planScope({ policy, observation: e, now: NOW });
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };
/**
 * The half-view property restores a route only for a rare mix (a tagged link, its far side hidden, a drifted
 * route in the picked table): seeded, so its not-vacuous check holds on every run; PROPERTY_SEED explores others.
 */
const HALF_VIEW_SEED = Number(process.env.PROPERTY_SEED ?? 20_261_121);

describe('planner invariants', () => {
  it('is deterministic: the same input gives a byte-identical plan', () => {
    fc.assert(
      fc.property(estateArb, policyArb, (e, policy) => {
        expect(JSON.stringify(plan(policy, e))).toBe(JSON.stringify(plan(policy, structuredClone(e))));
      }),
      RUNS,
    );
  });

  it('is idempotent: after applying a plan, the next plan has no changes and a reconcile makes zero writes', async () => {
    await fc.assert(
      fc.asyncProperty(estateArb, policyArb, async (e, policy) => {
        const memory = new MemoryCloud(e, () => NOW);
        const providers = memoryProviders(memory);
        await reconcileScope({ kind: 'estate' }, { policy, providers, now: () => NOW });
        const again = await reconcileScope({ kind: 'estate' }, { policy, providers, now: () => NOW });
        const changes = again.plan.actions.filter(isMutating);
        expect(changes).toEqual([]);
        expect(again.writes).toBe(0);
      }),
      RUNS,
    );
  });

  it('never targets an unmanaged route or peering', () => {
    fc.assert(
      fc.property(estateArb, policyArb, (e, policy) => {
        const managedIds = ownedIds(e);
        const observed = new Set(e.networks.map((n) => networkKey(n.ref)));
        const actions = plan(policy, e).actions;
        const rejected = new Set(
          actions.flatMap((a) => (a.action === 'reject-peering' && a.target.id ? [a.target.id] : [])),
        );
        for (const a of actions) checkOwnership(a, e, managedIds, observed, rejected);
      }),
      RUNS,
    );
  });

  it('never accepts overlapping CIDRs or a requester from an unlisted account', () => {
    fc.assert(
      fc.property(estateArb, policyArb, (e, policy) => {
        const byId = new Map(e.peerings.map((p) => [p.id, p]));
        const networks = new Map(e.networks.map((n) => [networkKey(n.ref), n]));
        const actions = plan(policy, e).actions;
        // A request this plan rejects takes its routes with it (they are deleted in the same plan): no obstacle.
        const rejected = new Set(
          actions.flatMap((x) => (x.action === 'reject-peering' && x.target.id ? [x.target.id] : [])),
        );
        for (const a of actions) {
          if (a.action !== 'accept-peering' || !a.target.id) continue;
          const p = byId.get(a.target.id)!;
          const req = networks.get(networkKey(p.requester));
          expect(req !== undefined || listedAccounts(policy, 'aws').has(p.requester.account)).toBe(true);
          const acc = networks.get(networkKey(p.accepter))!;
          expect(findFirstOverlap(req?.cidrs ?? p.requesterCidrs ?? [], acc.cidrs)).toBeUndefined();
          // Routes through peerkeeper's own peerings are planned, not obstacles; default routes never compete.
          const owned = ownedIds(e);
          // A route through a peering that no longer exists is stale, not an obstacle (issue 12: it never blocks re-peering).
          const live = new Set(
            e.peerings.filter((q) => q.state === 'active' || q.state === 'requested').map((q) => q.id),
          );
          const routed = acc.routeTables
            .flatMap((t) => t.routes)
            .filter(
              (r) =>
                r.origin === 'static' &&
                !(
                  r.target.kind === 'peering' &&
                  (r.target.peeringId === p.id ||
                    owned.has(r.target.peeringId) ||
                    !live.has(r.target.peeringId) ||
                    rejected.has(r.target.peeringId))
                ) &&
                r.destination !== '0.0.0.0/0',
            );
          for (const r of routed)
            for (const c of req?.cidrs ?? p.requesterCidrs ?? []) expect(cidrsOverlap(c, r.destination)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('a route-table scope with a partial view plans no peering action for a pair it did not see, and only restores routes to links it half sees', () => {
    const view = fc.record({
      hidden: fc.subarray([HUB, SPOKE_A, SPOKE_B], { minLength: 1, maxLength: 2 }),
      pick: fc.nat(),
      tagged: fc.boolean(),
    });
    let restored = 0;
    fc.assert(
      fc.property(fc.oneof(estateArb, hubWithLinksArb), policyArb, view, (e, policy, { hidden, pick, tagged }) => {
        // Half the runs give peerkeeper's peerings their connection tag too, as peerkeeper itself tags what it creates.
        const withTags = tagged
          ? {
              ...e,
              peerings: e.peerings.map((p) =>
                p.tags[MANAGED_TAG] === 'true' ? { ...p, tags: { ...p.tags, [CONNECTION_TAG]: 'spokes-to-hub' } } : p,
              ),
            }
          : e;
        const partial = withoutAccounts(withTags, hidden);
        const tables = partial.networks.flatMap((n) => n.routeTables);
        fc.pre(tables.length > 0);
        const table = tables[pick % tables.length]!;
        const scope = {
          kind: 'route-table' as const,
          cloud: 'aws' as const,
          account: table.network.account,
          region: table.network.region,
          routeTableId: table.id,
        };
        const seen = new Set(partial.networks.map((n) => networkKey(n.ref)));
        const governedUnseen = (r: NetworkRef) =>
          !seen.has(networkKey(r)) && [HUB, SPOKE_A, SPOKE_B].includes(r.account);
        const halfSeen = new Map(
          partial.peerings
            .filter((p) => governedUnseen(p.requester) || governedUnseen(p.accepter))
            .map((p) => [p.id, p]),
        );
        for (const a of planScope({ policy, observation: partial, now: NOW, scope }).actions) {
          if (a.action === 'report') continue;
          // No peering action at all for a pair with a side this view lacks (in fact none: the scope is one table).
          if (!('network' in a.target))
            expect([a.target.requester, a.target.accepter].some(governedUnseen)).toBe(false);
          expect(a.action === 'create-route' || a.action === 'replace-route' || a.action === 'delete-route').toBe(true);
          expect('routeTableId' in a.target && a.target.routeTableId).toBe(table.id);
          if (a.action === 'delete-route')
            expect(a.before.target.kind === 'peering' && halfSeen.has(a.before.target.peeringId)).toBe(false);
          const via =
            (a.action === 'create-route' || a.action === 'replace-route') && a.after.kind === 'peering'
              ? a.after.peering.id
              : undefined;
          const link = via === undefined ? undefined : halfSeen.get(via);
          if (!link) continue;
          // Half-seen link: only an existing static route is repointed to it, for a range its record gives this side.
          expect(a.action).toBe('replace-route');
          if (a.action !== 'replace-route') continue;
          const near = networkKey(a.target.network);
          const far = networkKey(link.requester) === near ? link.accepterCidrs : link.requesterCidrs;
          expect(a.before.origin).toBe('static');
          expect(far ?? []).toContain(a.target.destination);
          // Where the hidden side really is a spoke, the view of both sides makes the same repair.
          const hiddenSide = governedUnseen(link.requester) ? link.requester : link.accepter;
          if (withTags.networks.find((n) => networkKey(n.ref) === networkKey(hiddenSide))?.tags.role === 'spoke') {
            const full = planScope({ policy, observation: withTags, now: NOW, scope }).actions;
            expect(
              full.some(
                (x) =>
                  x.action === 'replace-route' &&
                  x.target.destination === a.target.destination &&
                  x.after.kind === 'peering' &&
                  x.after.peering.id === via,
              ),
            ).toBe(true);
          }
          restored += 1;
        }
      }),
      { ...RUNS, seed: HALF_VIEW_SEED },
    );
    // Not vacuous: some runs did restore a route to a link whose far side was hidden.
    expect(restored).toBeGreaterThan(0);
  });

  it('makes no deletion or replacement from an incomplete observation', () => {
    fc.assert(
      fc.property(estateArb, policyArb, (e, policy) => {
        const p = plan(policy, { ...e, complete: false, gaps: ['a list call failed'] });
        expect(p.actions.filter(isDestructive)).toEqual([]);
        expect(p.complete).toBe(false);
      }),
      RUNS,
    );
  });
});

/** A hub with 1–4 peered networks in the spoke accounts (roles, states, tags and hub routes at random): links the hub half sees. */
const hubWithLinksArb: fc.Arbitrary<Estate> = fc
  .array(
    fc.record({
      account: fc.constantFrom(SPOKE_A, SPOKE_B),
      role: fc.constantFrom('spoke', 'spoke', 'other'),
      cidr: fc.constantFrom('10.1.0.0/16', '10.2.0.0/16', '10.1.128.0/20', '10.0.0.0/16'),
      state: fc.constantFrom<Peering['state']>('active', 'active', 'requested'),
      tags: fc.constantFrom<Record<string, string>>(
        {},
        { [MANAGED_TAG]: 'true' },
        { [MANAGED_TAG]: 'true', [CONNECTION_TAG]: 'spokes-to-hub' },
        { [MANAGED_TAG]: 'true', [CONNECTION_TAG]: 'gone' },
      ),
      hubRoute: fc.constantFrom('own', 'nat-1', 'pcx-other', 'none'),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((links) => {
    const hubRef = awsRef(HUB, 'vpc-hub');
    const routes: Route[] = [];
    const spokes = links.map((l, i) => network(awsRef(l.account, `vpc-s${i}`), [l.cidr], { role: l.role }));
    const peerings = links.map((l, i) =>
      peering(`pcx-${i}`, spokes[i]!, hubRef, l.state, {
        tags: l.tags,
        requesterCidrs: [l.cidr],
        accepterCidrs: ['10.0.0.0/16'],
      }),
    );
    links.forEach((l, i) => {
      if (l.hubRoute === 'none' || routes.some((r) => r.destination === l.cidr)) return;
      routes.push(
        l.hubRoute === 'nat-1'
          ? otherRoute(l.cidr, 'nat-1')
          : peeringRoute(l.cidr, l.hubRoute === 'own' ? `pcx-${i}` : 'pcx-other'),
      );
    });
    return estate([network(hubRef, ['10.0.0.0/16'], { role: 'hub' }, routes), ...spokes], peerings);
  });

/** What a reconcile observing every account but `hidden` would see: their networks gone, peerings only with a seen side. */
function withoutAccounts(e: Estate, hidden: readonly string[]): Estate {
  const networks = e.networks.filter((n) => !hidden.includes(n.ref.account));
  const seen = new Set(networks.map((n) => networkKey(n.ref)));
  return {
    ...e,
    networks,
    peerings: e.peerings.filter((p) => seen.has(networkKey(p.requester)) || seen.has(networkKey(p.accepter))),
  };
}

/** Managed = created by peerkeeper (tagged) or wanted by the policy (a live spoke–hub or partner–hub link). */
function ownedIds(e: Estate): Set<string> {
  const role = (id: string) => e.networks.find((n) => networkKey(n.ref) === id)?.tags.role;
  const wanted = (p: Peering) =>
    (p.state === 'active' || p.state === 'requested') &&
    ([role(networkKey(p.requester)), role(networkKey(p.accepter))].sort().join() === 'hub,spoke' ||
      (p.requester.account === '999999999999' && role(networkKey(p.accepter)) === 'hub'));
  return new Set(e.peerings.filter((p) => p.tags['peerkeeper:managed'] === 'true' || wanted(p)).map((p) => p.id));
}

function checkOwnership(
  a: Action,
  e: Estate,
  managedIds: Set<string>,
  observed: Set<string>,
  rejected: ReadonlySet<string> = new Set(),
): void {
  const peering = (id: string | undefined): Peering | undefined => e.peerings.find((p) => p.id === id);
  switch (a.action) {
    case 'delete-peering':
      expect(managedIds.has(a.target.id!)).toBe(true);
      break;
    case 'reject-peering':
      expect(peering(a.target.id)?.state).toBe('requested');
      expect(observed.has(networkKey(a.target.accepter))).toBe(true);
      break;
    case 'delete-route': {
      // Ours to remove: a route through a managed peering, or through one that is gone (or rejected in this plan):
      // EC2 lists every peering of the table's account, so an unlisted one no longer exists (DESIGN §5, issue 12).
      expect(a.before.origin).toBe('static');
      const via = a.before.target.kind === 'peering' ? peering(a.before.target.peeringId) : undefined;
      const gone =
        a.before.target.kind === 'peering' &&
        (via === undefined || !['active', 'requested'].includes(via.state) || rejected.has(via.id));
      expect(a.before.target.kind === 'peering' && (managedIds.has(a.before.target.peeringId) || gone)).toBe(true);
      break;
    }
    case 'replace-route':
      // Never a route someone sends into transit (a transit or VPN gateway, an endpoint, an appliance's interface).
      expect(a.before.target.kind === 'other' && /^(tgw-|vgw-|vpce-|eni-|cagw-|lgw-)/.test(a.before.target.id)).toBe(
        false,
      );
      checkReplacedRange(a, e);
      break;
    default:
      break;
  }
}

/** Replaced only when the destination is a range of the peer the table routes to (DESIGN §5). */
function checkReplacedRange(a: Extract<Action, { action: 'replace-route' }>, e: Estate): void {
  expect(a.before.origin).toBe('static');
  const net = e.networks.find((n) => networkKey(n.ref) === networkKey(a.target.network))!;
  const peerRanges = e.peerings
    .filter((p) => networkKey(p.requester) === networkKey(net.ref) || networkKey(p.accepter) === networkKey(net.ref))
    .flatMap((p) => [...(p.requesterCidrs ?? []), ...(p.accepterCidrs ?? [])]);
  const networkRanges = e.networks.flatMap((n) => n.cidrs);
  expect([...peerRanges, ...networkRanges]).toContain(a.target.destination);
}
