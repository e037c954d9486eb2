import fc from 'fast-check';
import { cidrsOverlap, findFirstOverlap } from '../../shared/cidr';
import type { Action, Estate, Peering } from '../../shared/model';
import { isDestructive, isMutating, networkKey } from '../../shared/model';
import { planScope } from '../../shared/planner';
import { listedAccounts } from '../../shared/policy';
import type { Policy } from '../../shared/policy/schema';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import { reconcileScope } from '../../shared/reconcile';
import { NOW } from '../support/estate-builder';
import { estateArb, policyArb } from '../support/random-estate';

const plan = (policy: Policy, e: Estate) => planScope({ policy, observation: e, now: NOW });
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };

describe('planner invariants', () => {
  it('is deterministic: the same input gives a byte-identical plan', () => {
    fc.assert(fc.property(estateArb, policyArb, (e, policy) => {
      expect(JSON.stringify(plan(policy, e))).toBe(JSON.stringify(plan(policy, structuredClone(e))));
    }), RUNS);
  });

  it('is idempotent: after applying a plan, the next plan has no changes and a reconcile makes zero writes', async () => {
    await fc.assert(fc.asyncProperty(estateArb, policyArb, async (e, policy) => {
      const memory = new MemoryCloud(e, () => NOW);
      const providers = memoryProviders(memory);
      await reconcileScope({ kind: 'estate' }, { policy, providers, now: () => NOW });
      const again = await reconcileScope({ kind: 'estate' }, { policy, providers, now: () => NOW });
      const changes = again.plan.actions.filter(isMutating);
      expect(changes).toEqual([]);
      expect(again.writes).toBe(0);
    }), RUNS);
  });

  it('never targets an unmanaged route or peering', () => {
    fc.assert(fc.property(estateArb, policyArb, (e, policy) => {
      const managedIds = ownedIds(e);
      const observed = new Set(e.networks.map((n) => networkKey(n.ref)));
      for (const a of plan(policy, e).actions) checkOwnership(a, e, managedIds, observed);
    }), RUNS);
  });

  it('never accepts overlapping CIDRs or a requester from an unlisted account', () => {
    fc.assert(fc.property(estateArb, policyArb, (e, policy) => {
      const byId = new Map(e.peerings.map((p) => [p.id, p]));
      const networks = new Map(e.networks.map((n) => [networkKey(n.ref), n]));
      for (const a of plan(policy, e).actions) {
        if (a.action !== 'accept-peering' || !a.target.id) continue;
        const p = byId.get(a.target.id)!;
        const req = networks.get(networkKey(p.requester));
        expect(req !== undefined || listedAccounts(policy, 'aws').has(p.requester.account)).toBe(true);
        const acc = networks.get(networkKey(p.accepter))!;
        expect(findFirstOverlap(req?.cidrs ?? p.requesterCidrs ?? [], acc.cidrs)).toBeUndefined();
        // Routes through peerkeeper's own peerings are planned, not obstacles; default routes never compete.
        const owned = ownedIds(e);
        const routed = acc.routeTables.flatMap((t) => t.routes).filter((r) => r.origin === 'static' && !(r.target.kind === 'peering' && (r.target.peeringId === p.id || owned.has(r.target.peeringId))) && r.destination !== '0.0.0.0/0');
        for (const r of routed) for (const c of req?.cidrs ?? p.requesterCidrs ?? []) expect(cidrsOverlap(c, r.destination)).toBe(false);
      }
    }), RUNS);
  });

  it('makes no deletion or replacement from an incomplete observation', () => {
    fc.assert(fc.property(estateArb, policyArb, (e, policy) => {
      const p = plan(policy, { ...e, complete: false, gaps: ['a list call failed'] });
      expect(p.actions.filter(isDestructive)).toEqual([]);
      expect(p.complete).toBe(false);
    }), RUNS);
  });
});

/** Managed = created by peerkeeper (tagged) or wanted by the policy (a live spoke–hub or partner–hub link). */
function ownedIds(e: Estate): Set<string> {
  const role = (id: string) => e.networks.find((n) => networkKey(n.ref) === id)?.tags.role;
  const wanted = (p: Peering) => (p.state === 'active' || p.state === 'requested')
    && ([role(networkKey(p.requester)), role(networkKey(p.accepter))].sort().join() === 'hub,spoke'
      || (p.requester.account === '999999999999' && role(networkKey(p.accepter)) === 'hub'));
  return new Set(e.peerings.filter((p) => p.tags['peerkeeper:managed'] === 'true' || wanted(p)).map((p) => p.id));
}

function checkOwnership(a: Action, e: Estate, managedIds: Set<string>, observed: Set<string>): void {
  const peering = (id: string | undefined): Peering | undefined => e.peerings.find((p) => p.id === id);
  switch (a.action) {
    case 'delete-peering':
      expect(managedIds.has(a.target.id!)).toBe(true);
      break;
    case 'reject-peering':
      expect(peering(a.target.id)?.state).toBe('requested');
      expect(observed.has(networkKey(a.target.accepter))).toBe(true);
      break;
    case 'delete-route':
      expect(a.before.origin).toBe('static');
      expect(a.before.target.kind === 'peering' && managedIds.has(a.before.target.peeringId)).toBe(true);
      break;
    case 'replace-route': {
      // Replaced only when the destination is a range of the peer the table routes to (DESIGN §5).
      expect(a.before.origin).toBe('static');
      const net = e.networks.find((n) => networkKey(n.ref) === networkKey(a.target.network))!;
      const peerRanges = e.peerings.filter((p) => networkKey(p.requester) === networkKey(net.ref) || networkKey(p.accepter) === networkKey(net.ref))
        .flatMap((p) => [...(p.requesterCidrs ?? []), ...(p.accepterCidrs ?? [])]);
      const networkRanges = e.networks.flatMap((n) => n.cidrs);
      expect([...peerRanges, ...networkRanges]).toContain(a.target.destination);
      break;
    }
    default:
      break;
  }
}
