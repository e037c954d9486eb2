import fc from 'fast-check';
import { findFirstOverlap } from '../../shared/cidr';
import type { Cloud, Estate, Network, Peering, Route } from '../../shared/model';
import { isLive, networkKey } from '../../shared/model';
import type { Policy } from '../../shared/policy/schema';
import { MemoryCloud, MemoryProvider } from '../../shared/providers/memory';
import type { PeeringProvider } from '../../shared/providers/port';
import { NOW, SPOKE_B } from '../support/estate-builder';
import { estateArb, policyArb } from '../support/random-estate';
import { realWorld } from '../support/real-world-estate';
import { VirtualClock } from './chaos-provider';
import { Prng } from './prng';
import type { ChaosTarget } from './scenario';

/**
 * What EC2 would hold of an arbitrary estate: it refuses a route to a peering from a VPC that is not one of its
 * sides (so a table only names peerings its own partition lists, or ones that are gone), and fails a peering between
 * overlapping VPCs at once (so no such peering is ever pending or active). The planner's arbitraries draw both at
 * random; left in, a scoped view would rightly take a live peering it cannot see for a vanished one, and an active
 * link no cloud allows would compete for ranges.
 */
function asEc2Allows(estate: Estate): Estate {
  const sides = new Map(estate.peerings.map((p) => [p.id, [networkKey(p.requester), networkKey(p.accepter)]]));
  const possible = (network: Network, r: Route) =>
    r.target.kind !== 'peering' || (sides.get(r.target.peeringId)?.includes(networkKey(network.ref)) ?? true);
  const cidrs = new Map(estate.networks.map((n) => [networkKey(n.ref), n.cidrs]));
  const overlapping = (p: Peering) =>
    findFirstOverlap(
      cidrs.get(networkKey(p.requester)) ?? p.requesterCidrs ?? [],
      cidrs.get(networkKey(p.accepter)) ?? p.accepterCidrs ?? [],
    ) !== undefined;
  return {
    ...estate,
    networks: estate.networks.map((n) => ({
      ...n,
      routeTables: n.routeTables.map((t) => ({ ...t, routes: t.routes.filter((r) => possible(n, r)) })),
    })),
    peerings: estate.peerings.map((p) => (isLive(p.state) && overlapping(p) ? { ...p, state: 'failed' as const } : p)),
  };
}

/**
 * One provider over the whole in-memory cloud: it reads the partitions of any cloud and applies each action with
 * the semantics of the action's cloud. The chaos wrapper (and its faults) stays one object for every cloud.
 */
function allClouds(memory: MemoryCloud): PeeringProvider {
  const byCloud = new Map<Cloud, MemoryProvider>();
  const of = (cloud: Cloud) => byCloud.get(cloud) ?? byCloud.set(cloud, new MemoryProvider(cloud, memory)).get(cloud)!;
  return {
    cloud: 'aws',
    observe: async (partitions) => memory.observe(partitions),
    apply: (action, context) => of(action.cloud).apply(action, context),
  };
}

/**
 * A seeded scenario's inputs over the in-memory cloud. Odd seeds take estate and policy from the planner's
 * arbitraries (≤ 6 networks, one region); even seeds a world shaped like a real organization (real-world-estate.ts:
 * prefix lists, transit routes, two regions, competing partners, stale routes, and a governed account that denies
 * every call for the whole scenario).
 */
export function memoryScenario(seed: number): {
  rng: Prng;
  policy: Policy;
  target: ChaosTarget;
  clock: VirtualClock;
  memory: MemoryCloud;
} {
  const rng = new Prng(seed);
  const real = seed % 2 === 0 ? realWorld(seed) : undefined;
  const [estate] = real ? [real.estate] : fc.sample(estateArb, { seed: rng.fork(), numRuns: 1 });
  const [base] = real ? [real.policy] : fc.sample(policyArb, { seed: rng.fork(), numRuns: 1 });
  // A third of the seeds cap changes per run low, so convergence needs several runs (blast-radius limit); real-world
  // estates plan up to ~40 changes, so their cap stays high enough to converge within MAX_SWEEPS.
  const low = real ? rng.int(6, 10) : rng.int(3, 6);
  const policy: Policy = { ...base!, limits: { maxChangesPerRun: rng.chance(0.3) ? low : 1000 } };
  const clock = new VirtualClock(NOW.getTime());
  const memory = new MemoryCloud(real ? estate! : asEc2Allows(estate!), clock.now);
  const target: ChaosTarget = {
    // Real-world estates span three clouds (the data and GCP meshes, transit hubs in each): every cloud is served.
    provider: real ? allClouds(memory) : new MemoryProvider('aws', memory),
    clouds: real ? [...new Set<Cloud>(['aws', ...real.estate.networks.map((n) => n.ref.cloud)])] : ['aws'],
    snapshot: async () => memory.snapshot(),
    throttleWrites: (n) => {
      memory.faults.throttleWrites = n;
    },
    clearFaults: () => {
      memory.faults.throttleWrites = 0;
    },
    // Real-world worlds bring their own denying account; a quarter of the others govern a spoke account that denies.
    denying: real ? real.truth.denying : rng.chance(0.25) ? [SPOKE_B] : [],
  };
  return { rng, policy, target, clock, memory };
}
