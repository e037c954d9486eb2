import type { SQSEvent } from 'aws-lambda';
import { RetryableError } from '../../../shared/errors';
import type { Observation } from '../../../shared/model';
import { MemoryCloud, MemoryProvider } from '../../../shared/providers/memory';
import type { Partition, PeeringProvider } from '../../../shared/providers/port';
import { pendingPollHandler } from '../../../functions/aws/pending-poll';
import { sweepHandler } from '../../../functions/aws/sweep';
import { sweepWorkerHandler } from '../../../functions/aws/sweep-worker';
import { awsRef, estate, HUB, hubSpokePolicy, network, SPOKE_A, SPOKE_B } from '../../support/estate-builder';
import { IdempotencyTables, lambdaContext, testDeps } from './harness';
import { TEST_NOW } from '../../support/clock';

const tables = new IdempotencyTables();
beforeAll(() => tables.start());
afterAll(() => tables.stop());

const scheduled = (id: string) => ({
  version: '0',
  id,
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: HUB,
  time: '2026-11-20T12:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:111111111111:rule/peerkeeper-sweep'],
  detail: {},
});

function sqsEvent(bodies: { id: string; body: string }[]): SQSEvent {
  return {
    Records: bodies.map(({ id, body }) => ({
      messageId: id,
      receiptHandle: `rh-${id}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:111111111111:work',
      awsRegion: 'us-east-1',
    })),
  };
}

/** A provider that fails to observe one account with a retryable error (throttling that outlasted the SDK). */
class FlakyAccount implements PeeringProvider {
  readonly cloud = 'aws' as const;
  constructor(
    private readonly inner: PeeringProvider,
    private readonly account: string,
  ) {}
  async observe(partitions: readonly Partition[]): Promise<Observation> {
    if (partitions.some((p) => p.account === this.account))
      throw new RetryableError('Request limit exceeded.', { code: 'RequestLimitExceeded' });
    return this.inner.observe(partitions);
  }
  apply: PeeringProvider['apply'] = (action, ctx) => this.inner.apply(action, ctx);
}

const policy = hubSpokePolicy({
  providers: { aws: { regions: ['us-east-1', 'eu-west-1'], accounts: [HUB, SPOKE_A, SPOKE_B] } },
});
const world = () =>
  new MemoryCloud(
    estate([
      network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' }),
      network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' }),
    ]),
    () => TEST_NOW,
  );

describe('sweep and pending-poll fan-out', () => {
  const cases = {
    sweep: { reason: 'the sweep repairs what events missed', make: sweepHandler, kind: 'sweep' },
    'pending-poll': {
      reason: 'outside requests leave no event in our accounts',
      make: pendingPollHandler,
      kind: 'poll',
    },
  } as const;

  it.each(Object.entries(cases))(
    '%s sends one message per governed account and region, idempotent on the tick',
    async (_name, c) => {
      const cloud = world();
      const { deps, recorded } = await testDeps(policy, new MemoryProvider('aws', cloud), tables);
      const handler = c.make(deps);
      const out = await handler(scheduled(`tick-${c.kind}`), lambdaContext());
      expect(out).toEqual({ status: 'fanned-out', partitions: 6 });
      const units = recorded.work
        .map((m) => (m.trigger.scope.kind === 'account' ? `${m.trigger.scope.account}:${m.trigger.scope.region}` : '?'))
        .sort();
      expect(units).toEqual([HUB, SPOKE_A, SPOKE_B].flatMap((a) => [`${a}:eu-west-1`, `${a}:us-east-1`]));
      expect(new Set(recorded.work.map((m) => m.trigger.eventId)).size).toBe(6);
      expect(recorded.work.every((m) => m.trigger.kind === c.kind)).toBe(true);
      expect(cloud.reads).toBe(0);
      await handler(scheduled(`tick-${c.kind}`), lambdaContext());
      expect(recorded.work).toHaveLength(6);
    },
  );

  it('dead-letters a schedule payload that is not an EventBridge event', async () => {
    const { deps, recorded } = await testDeps(policy, new MemoryProvider('aws', world()), tables);
    const out = await sweepHandler(deps)({ id: 'x' }, lambdaContext());
    expect(out).toMatchObject({ status: 'dead-lettered' });
    expect(recorded.work).toEqual([]);
    expect(recorded.deadLetters).toHaveLength(1);
  });
});

/** The work messages a sweep tick produces (from the sweep function's own deps: each function has its own idempotency config). */
async function sweepMessages(tick: string) {
  const { deps, recorded } = await testDeps(policy, new MemoryProvider('aws', world()), tables);
  await sweepHandler(deps)(scheduled(tick), lambdaContext());
  return recorded.work;
}

describe('sweep-worker', () => {
  it('reconciles good items, dead-letters malformed ones and reports only retryable failures', async () => {
    const cloud = world();
    const work = await sweepMessages('tick-worker');
    const { deps, recorded } = await testDeps(
      policy,
      new FlakyAccount(new MemoryProvider('aws', cloud), SPOKE_B),
      tables,
    );
    const bodies = work.map((m, i) => ({ id: `m${i}`, body: JSON.stringify(m) }));
    const malformed = [
      { id: 'bad-json', body: '{not json' },
      { id: 'bad-shape', body: JSON.stringify({ trigger: { scope: { kind: 'galaxy' } } }) },
    ];
    const out = await sweepWorkerHandler(deps)(sqsEvent([...bodies, ...malformed]), lambdaContext());
    const flaky = work
      .map((m, i) => ({ m, id: `m${i}` }))
      .filter(({ m }) => m.trigger.scope.kind === 'account' && m.trigger.scope.account === SPOKE_B)
      .map(({ id }) => id);
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(flaky.sort());
    expect(recorded.deadLetters.map((d) => d.error.name)).toEqual(['MalformedEventError', 'MalformedEventError']);
    expect(cloud.writes).toBeGreaterThan(0);
    expect(recorded.outcomes.map((o) => o.detailType)).toContain('Peering Created');
  });

  it('runs a redelivered work item once (idempotent on the trigger event id)', async () => {
    const cloud = world();
    const work = await sweepMessages('tick-once');
    const { deps } = await testDeps(policy, new MemoryProvider('aws', cloud), tables);
    const event = sqsEvent([{ id: 'm0', body: JSON.stringify(work[0]) }]);
    const worker = sweepWorkerHandler(deps);
    await worker(event, lambdaContext());
    const reads = cloud.reads;
    await worker(event, lambdaContext());
    expect(cloud.reads).toBe(reads);
  });
});
