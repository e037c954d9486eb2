import type { Cloud, Estate, Scope } from '../../shared/model';
import { describeScope, isAttachmentAction, isMutating } from '../../shared/model';
import type { Policy } from '../../shared/policy/schema';
import type { Partition, PeeringProvider } from '../../shared/providers/port';
import { reconcileScope, type ReconcileDeps, type ReconcileResult } from '../../shared/reconcile';
import type { ReadCall, ReadFault, ReadFaultKind } from '../support/partial-reads';
import { ChaosProvider, VirtualClock, type ObservedTwin } from './chaos-provider';
import { checkInvariants, type Violation } from './invariants';
import type { Prng } from './prng';

/** A cloud a scenario can run against: the in-memory cloud, or an emulator behind the real adapter. */
export interface ChaosTarget {
  provider: PeeringProvider;
  /** The clouds `provider` serves (default: its own); reconciles get it for each. */
  clouds?: readonly Cloud[];
  /** The whole estate as the cloud holds it (not as an observation sees it). */
  snapshot(): Promise<Estate>;
  /** Throttles the next `n` writes (RequestLimitExceeded). */
  throttleWrites(n: number): void;
  clearFaults(): void;
  /** Governed accounts that deny every call, for the whole scenario (their role was never deployed). */
  denying?: readonly string[];
}

/**
 * The faults a step may inject; `none` keeps a share of clean steps so progress happens. Reads fail on any call
 * (role assumption, VPCs, route tables, peerings) as AccessDenied, throttling, 5xx or a truncated page; writes are
 * throttled, fail with 5xx, time out, are denied, or the host dies.
 */
export const FAULT_KINDS = [
  'none',
  'none',
  'throttle-burst',
  'server-errors',
  'timeouts',
  'deadline',
  'list-fails',
  'mid-pagination',
  'crash',
  'delayed-visibility',
  'access-denied',
  'read-throttled',
  'write-denied',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const READ_CALLS: readonly ReadCall[] = [
  'DescribeVpcs',
  'DescribeRouteTables',
  'DescribeRouteTables',
  'DescribeVpcPeeringConnections',
  'DescribeTransitGateways',
  'DescribeTransitGatewayAttachments',
];

/** A failed read of one of the estate's partitions; `AssumeRole` denials cover the whole account. */
function readFault(
  rng: Prng,
  partitions: readonly Partition[],
  kind: ReadFaultKind,
  call: ReadCall = rng.pick(READ_CALLS),
): ReadFault {
  const p = rng.pick(partitions);
  return {
    partition: call === 'AssumeRole' ? { cloud: p.cloud, account: p.account } : p,
    call,
    kind,
    ...(kind === 'truncated' ? { keep: rng.next() } : {}),
  };
}

/** Sweeps allowed to reach a zero-write sweep: maxChangesPerRun ≥ 3 and ≤ 6 networks keep honest runs under 12. */
export const MAX_SWEEPS = 20;
/** Sweeps after the re-runs: one to finish what a scope started of a held link, one to show it is done. */
export const SETTLE_SWEEPS = 3;

/** What a scenario did, for the report and for debugging a failing seed. */
export interface ScenarioOutcome {
  violations: Violation[];
  reconciles: number;
  writes: number;
  faults: Partial<Record<FaultKind, number>>;
  sweepsToQuiesce: number | undefined;
  /** Reconciles that wrote from an incomplete observation: what `held-not-executed` replayed with every read whole. */
  partialWrites: number;
  /** Attachment actions done (issue 17): the transit links the scenario changed. */
  transitWrites: number;
}

/** Scopes events would name, from the estate: some dropped, some duplicated, all reordered. */
export function eventStream(estate: Estate, rng: Prng, maxEvents = 14): Scope[] {
  const scopes: Scope[] = [];
  for (const a of new Set(estate.networks.map((n) => n.ref.account)))
    scopes.push({ kind: 'account', cloud: 'aws', account: a, region: 'us-east-1' });
  // Transit (issue 17): an attachment's event names the hub owner's account, or the spoke's network.
  for (const h of estate.transitHubs ?? [])
    scopes.push({ kind: 'account', cloud: h.ref.cloud, account: h.ref.account, region: h.ref.region });
  for (const a of estate.attachments ?? [])
    if (estate.networks.some((n) => n.ref.id === a.network.id)) scopes.push({ kind: 'network', network: a.network });
  for (const n of estate.networks) {
    scopes.push({ kind: 'network', network: n.ref });
    for (const t of n.routeTables) {
      scopes.push({
        kind: 'route-table',
        cloud: n.ref.cloud,
        account: n.ref.account,
        region: n.ref.region,
        routeTableId: t.id,
        ...(rng.chance(0.5) ? { network: n.ref } : {}),
      });
    }
  }
  for (const p of estate.peerings) {
    const side = rng.chance(0.5) ? p.accepter : p.requester;
    scopes.push({ kind: 'peering', cloud: p.cloud, account: side.account, region: side.region, peeringId: p.id });
  }
  const kept = scopes.filter(() => !rng.chance(0.2));
  const duplicated = kept.flatMap((s) => (rng.chance(0.25) ? [s, s] : [s]));
  return rng.shuffle(duplicated).slice(0, maxEvents);
}

function injectFault(
  kind: FaultKind,
  chaos: ChaosProvider,
  target: ChaosTarget,
  partitions: readonly Partition[],
  rng: Prng,
  clock: VirtualClock,
): number | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'throttle-burst':
      target.throttleWrites(rng.int(1, 8));
      return undefined;
    case 'server-errors':
      chaos.faults.serverErrors = rng.int(1, 6);
      return undefined;
    case 'timeouts':
      chaos.faults.timeouts = rng.int(1, 3);
      return undefined;
    case 'deadline':
      chaos.faults.latencyMs = rng.int(200, 800);
      return clock.ms + rng.int(1_200, 4_000);
    case 'list-fails':
      chaos.faults.reads.push(
        readFault(rng, partitions, rng.pick(['server-error', 'throttled', 'AccessDenied'] as const)),
      );
      return undefined;
    case 'mid-pagination':
      chaos.faults.reads.push(readFault(rng, partitions, 'truncated'));
      return undefined;
    case 'access-denied':
      chaos.faults.reads.push(readFault(rng, partitions, 'AccessDenied', 'AssumeRole'));
      return undefined;
    case 'read-throttled':
      for (let i = rng.int(1, 3); i > 0; i--) chaos.faults.reads.push(readFault(rng, partitions, 'throttled'));
      return undefined;
    case 'write-denied':
      chaos.faults.deniedWrites = rng.int(1, 3);
      return undefined;
    case 'crash':
      chaos.faults.crashAfterWrites = rng.int(0, 3);
      return undefined;
    case 'delayed-visibility':
      chaos.faults.visibilityMs = rng.int(5_000, 120_000);
      return undefined;
  }
}

/**
 * One seeded scenario: a stream of events, each under a random fault, sometimes several reconciles of
 * the same scope at once; a crash is followed by a fresh invocation. Then faults heal, sweeps run until
 * one plans nothing, every event scope is re-run, and the invariants are checked.
 */
export async function runScenario(input: {
  rng: Prng;
  policy: Policy;
  target: ChaosTarget;
  clock: VirtualClock;
  maxEvents?: number;
  reconcile?: typeof reconcileScope;
}): Promise<ScenarioOutcome> {
  const { rng, policy, target, clock } = input;
  const reconcile = input.reconcile ?? reconcileScope;
  const chaos = new ChaosProvider(target.provider, rng, clock, new Set(target.denying ?? []));
  const before = await target.snapshot();
  const partitions = [
    ...new Map(
      before.networks.map((n) => [
        `${n.ref.account}:${n.ref.region}`,
        { cloud: n.ref.cloud, account: n.ref.account, region: n.ref.region },
      ]),
    ).values(),
  ];
  const log: ReconcileResult[] = [];
  const twins = new Map<ReconcileResult, ObservedTwin>();
  const thrown: Violation[] = [];
  const faults: Partial<Record<FaultKind, number>> = {};
  const deps = (provider: PeeringProvider, deadline?: number): ReconcileDeps => ({
    policy,
    providers: Object.fromEntries((target.clouds ?? [provider.cloud]).map((c) => [c, provider])),
    now: clock.now,
    sleep: clock.sleep,
    random: () => rng.next(),
    ...(deadline ? { deadline } : {}),
  });
  const run = async (scope: Scope, deadline?: number) => {
    try {
      const session = chaos.session();
      const r = await reconcile(scope, deps(session.provider, deadline));
      log.push(r);
      const twin = session.twin();
      if (twin) twins.set(r, twin);
      return r;
    } catch (error) {
      thrown.push({
        invariant: 'typed-errors',
        detail: `reconcile of ${describeScope(scope)} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      });
      return undefined;
    }
  };

  const events = eventStream(before, rng, input.maxEvents);
  for (const scope of events) {
    const kind = rng.pick(FAULT_KINDS);
    faults[kind] = (faults[kind] ?? 0) + 1;
    const deadline = injectFault(kind, chaos, target, partitions, rng, clock);
    const copies = rng.chance(0.2) ? rng.int(2, 3) : 1;
    await Promise.all(Array.from({ length: copies }, () => run(scope, deadline)));
    const visibility = chaos.faults.visibilityMs;
    chaos.heal();
    target.clearFaults();
    if (kind === 'crash' || kind === 'deadline') await run(scope); // the redelivery / the next invocation
    if (kind === 'delayed-visibility' && rng.chance(0.5)) chaos.faults.visibilityMs = visibility; // lingers into the next event
    clock.advance(rng.int(1_000, 60_000));
  }

  chaos.heal();
  target.clearFaults();
  let sweepsToQuiesce: number | undefined;
  for (let i = 1; i <= MAX_SWEEPS; i++) {
    const r = await run({ kind: 'estate' });
    if (r && r.plan.actions.filter(isMutating).length === 0) {
      sweepsToQuiesce = i;
      break;
    }
  }
  const final = await run({ kind: 'estate' });
  const partialWrites = log.filter((r) => !r.observation.complete && r.writes > 0 && twins.has(r)).length;
  const transitWrites = log.reduce(
    (n, r) => n + r.results.filter((x) => x.status === 'done' && isAttachmentAction(x.action)).length,
    0,
  );
  const stats = {
    reconciles: log.length,
    writes: log.reduce((s, r) => s + r.writes, 0),
    faults,
    sweepsToQuiesce,
    partialWrites,
    transitWrites,
  };
  if (!final) return { violations: thrown, ...stats };
  const rerunWrites: { scope: string; writes: number; partialView: boolean }[] = [];
  for (const scope of new Map(events.map((s) => [JSON.stringify(s), s])).values()) {
    const r = await run(scope);
    const partialView = (r?.observation.networks.length ?? 0) < final.observation.networks.length;
    rerunWrites.push({ scope: describeScope(scope), writes: r?.writes ?? 0, partialView });
  }
  // The sweep again: whatever the re-run scopes took first (of what the sweep held), it may finish, never undo.
  const settle: ReconcileResult[] = [];
  for (let i = 0; i < SETTLE_SWEEPS; i++) {
    const r = await run({ kind: 'estate' });
    if (r) settle.push(r);
    if (!r || r.writes === 0) break;
  }
  const violations = [
    ...thrown,
    ...checkInvariants({
      policy,
      before,
      after: await target.snapshot(),
      reconciles: log,
      twins,
      final,
      sweepsToQuiesce,
      rerunWrites,
      settle,
    }),
  ];
  return { violations, ...stats };
}
