import { RetryableError } from '../../shared/errors';
import type { Action, Plan } from '../../shared/model';
import type { ApplyContext, PeeringProvider } from '../../shared/providers/port';
import { MemoryCloud, MemoryProvider } from '../../shared/providers/memory';
import { executePlan, reconcileScope } from '../../shared/reconcile';
import {
  HUB,
  NOW,
  SPOKE_A,
  awsRef,
  estate,
  hubSpokePolicy,
  network,
  otherRoute,
  peering,
} from '../support/estate-builder';

const hub = awsRef(HUB, 'vpc-hub');
const replace: Action = {
  action: 'replace-route',
  cloud: 'aws',
  reason: 'r',
  target: { network: hub, routeTableId: 'rtb-1', destination: '10.1.0.0/16' },
  before: { destination: '10.1.0.0/16', target: { kind: 'other', id: 'nat-0drift' }, origin: 'static' },
  after: { kind: 'other', id: 'tgw-1' },
};
const plan: Plan = {
  complete: true,
  scope: { kind: 'estate' },
  mode: 'enforce',
  actions: [replace],
  held: [],
  partitions: [],
  problems: [],
};

/** A provider that fails `failures` times with a retryable error, recording every context it was handed. */
function recording(failures: number) {
  const contexts: ApplyContext[] = [];
  const provider: PeeringProvider = {
    cloud: 'aws',
    observe: async () => ({ complete: true, gaps: [], accounts: [], networks: [], peerings: [] }),
    apply: async (_a, ctx) => {
      contexts.push(ctx);
      if (contexts.length <= failures) throw new RetryableError('throttled', { code: 'RequestLimitExceeded' });
      return { status: 'done' };
    },
  };
  return { provider, contexts };
}

describe('what the executor tells an adapter about the plan', () => {
  const CASES = [
    {
      name: 'first attempt of a fresh plan',
      reason: 'the adapter may trust an observation this young',
      failures: 0,
      observedAt: NOW.getTime() - 300,
      attempts: [1],
    },
    {
      name: 'a retry after throttling',
      reason: 'each attempt is numbered so a retry re-reads',
      failures: 2,
      observedAt: NOW.getTime(),
      attempts: [1, 2, 3],
    },
    {
      name: 'no observation time given',
      reason: 'the field stays absent and adapters treat the plan as old',
      failures: 0,
      observedAt: undefined,
      attempts: [1],
    },
  ];

  it.each(CASES)('$name', async (c) => {
    const { provider, contexts } = recording(c.failures);
    let t = NOW.getTime();
    const results = await executePlan(plan, {
      providers: { aws: provider },
      mode: 'enforce',
      deadline: t + 3_600_000,
      now: () => new Date(t),
      sleep: async (ms) => {
        t += ms;
      },
      random: () => 0.5,
      ...(c.observedAt !== undefined ? { observedAt: c.observedAt } : {}),
    });
    expect({
      reason: c.reason,
      status: results[0]!.status,
      attempts: contexts.map((x) => x.attempt),
      observedAt: contexts.map((x) => x.observedAt),
    }).toEqual({
      reason: c.reason,
      status: 'done',
      attempts: c.attempts,
      observedAt: c.attempts.map(() => c.observedAt),
    });
  });

  it('reconcileScope hands adapters the time its observation began, before any far-side read', async () => {
    let t = NOW.getTime();
    const hubNet = network(hub, ['10.0.0.0/16'], { role: 'hub' }, [otherRoute('10.1.0.0/16', 'nat-0drift')]);
    const spoke = network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' });
    const memory = new MemoryCloud(
      estate([hubNet, spoke], [peering('pcx-a', spoke, hubNet, 'active')]),
      () => new Date(t),
    );
    const inner = new MemoryProvider('aws', memory);
    const contexts: ApplyContext[] = [];
    // Every observe takes 700 ms on the clock, so the far-side read (an untagged link) makes the plan older.
    const provider: PeeringProvider = {
      cloud: 'aws',
      observe: async (parts) => {
        t += 700;
        return inner.observe(parts);
      },
      apply: async (a, ctx) => {
        contexts.push(ctx);
        return inner.apply(a, ctx);
      },
    };
    const started = t;
    const r = await reconcileScope(
      { kind: 'route-table', cloud: 'aws', account: HUB, region: 'us-east-1', routeTableId: hubNet.routeTables[0]!.id },
      { policy: hubSpokePolicy(), providers: { aws: provider }, now: () => new Date(t) },
    );
    expect(r.results.map((x) => [x.action.action, x.status])).toEqual([['replace-route', 'done']]);
    expect(contexts.map((x) => [x.observedAt, x.now.getTime() - started])).toEqual([[started, 1_400]]);
  });
});
