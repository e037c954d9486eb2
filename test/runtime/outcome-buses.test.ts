import { EventGridOutcomePublisher, outcomeSubject, toEventGrid } from '../../shared/providers/azure/outcomes';
import { StaticTokenCredential } from '../../shared/providers/azure/connect';
import { PubSubOutcomePublisher } from '../../shared/providers/gcp/outcomes';
import type { MessagePublisher } from '../../shared/providers/gcp/pubsub';
import type { OutcomeEvent } from '../../shared/runtime';
import { MemoryCloud, MemoryProvider } from '../../shared/providers/memory';
import { createAzureRuntime } from '../../shared/runtime/azure';
import { createGcpRuntime } from '../../shared/runtime/gcp';
import { MemoryIdempotencyStore } from '../../shared/stores/idempotency';
import { awsRef, estate, HUB, hubSpokePolicy, network, NOW, SPOKE_A } from '../support/estate-builder';

const hub = awsRef(HUB, 'vpc-hub');
const AT = new Date('2026-11-20T12:00:00.000Z');
function outcome(n: number, detailType: OutcomeEvent['detailType'] = 'Peering Accepted'): OutcomeEvent {
  return {
    detailType,
    time: AT,
    detail: {
      action: 'accept-peering',
      cloud: 'azure',
      reason: 'r',
      target: { id: `peer-${n}`, requester: awsRef(SPOKE_A, 'vnet-a'), accepter: hub },
      scope: 'estate',
      planHash: 'h',
      mode: 'enforce',
    },
  };
}

/** A fetch that answers with the given statuses in turn, recording each request. */
function fakeFetch(statuses: number[]) {
  const calls: { url: string; headers: Record<string, string>; body: unknown[] }[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({
      url,
      headers: init.headers as Record<string, string>,
      body: JSON.parse(String(init.body)) as unknown[],
    });
    const status = statuses[Math.min(calls.length - 1, statuses.length - 1)]!;
    return new Response(status === 200 ? '' : 'busy', { status });
  }) as unknown as typeof fetch;
  return { fn, calls };
}

describe('EventGridOutcomePublisher (the Event Grid custom topic)', () => {
  const cases: {
    reason: string;
    statuses: number[];
    events: number;
    want: { published: number; failed: number };
    requests: number;
  }[] = [
    {
      reason: 'publishes 150 outcomes in two requests of at most 100',
      statuses: [200],
      events: 150,
      want: { published: 150, failed: 0 },
      requests: 2,
    },
    {
      reason: 'retries a refused batch once and counts it published when the retry lands',
      statuses: [503, 200],
      events: 3,
      want: { published: 3, failed: 0 },
      requests: 2,
    },
    {
      reason: 'counts a batch failed after one retry, without throwing (the change already happened)',
      statuses: [503, 503],
      events: 3,
      want: { published: 0, failed: 3 },
      requests: 2,
    },
  ];
  it.each(cases)('$reason', async ({ statuses, events, want, requests }) => {
    const { fn, calls } = fakeFetch(statuses);
    const publisher = new EventGridOutcomePublisher({
      topicEndpoint: 'https://pk.westeurope-1.eventgrid.azure.net/api/events',
      credential: new StaticTokenCredential('tok'),
      fetch: fn,
    });
    expect(await publisher.publish(Array.from({ length: events }, (_, i) => outcome(i)))).toEqual(want);
    expect(calls).toHaveLength(requests);
    expect(calls[0]!.url).toBe('https://pk.westeurope-1.eventgrid.azure.net/api/events?api-version=2018-01-01');
    expect(calls[0]!.headers.authorization).toBe('Bearer tok');
  });

  it("speaks Event Grid's schema: a stable id, peerkeeper.<detail type>, the target as subject", () => {
    const e = toEventGrid(outcome(1, 'Route Reverted'));
    expect(e).toMatchObject({
      eventType: 'peerkeeper.Route Reverted',
      subject: '/azure/peer-1',
      eventTime: AT.toISOString(),
      dataVersion: '1',
    });
    expect(toEventGrid(outcome(1, 'Route Reverted')).id).toBe(e.id);
    expect(toEventGrid(outcome(2, 'Route Reverted')).id).not.toBe(e.id);
  });

  it('names a route outcome by its table and destination', () => {
    const route = {
      ...outcome(1),
      detail: { ...outcome(1).detail, target: { network: hub, routeTableId: 'rt-1', destination: '10.1.0.0/16' } },
    };
    expect(outcomeSubject(route)).toBe('/azure/rt-1/10.1.0.0/16');
  });
});

describe('PubSubOutcomePublisher (the Pub/Sub outcomes topic)', () => {
  it('publishes each outcome with the attributes subscription filters match on', async () => {
    const sent: { topic: string; messages: { data: unknown; attributes?: Record<string, string> }[] }[] = [];
    const publisher: MessagePublisher = {
      publish: async (topic, messages) => {
        sent.push({ topic, messages: [...messages] });
        return messages.length;
      },
    };
    const out = await new PubSubOutcomePublisher({ topic: 'projects/p/topics/peerkeeper-outcomes', publisher }).publish(
      [outcome(1), outcome(2, 'Approval Requested')],
    );
    expect(out).toEqual({ published: 2, failed: 0 });
    expect(sent[0]!.topic).toBe('projects/p/topics/peerkeeper-outcomes');
    expect(sent[0]!.messages.map((m) => m.attributes)).toEqual([
      { source: 'peerkeeper', type: 'Peering Accepted', cloud: 'azure', action: 'accept-peering' },
      { source: 'peerkeeper', type: 'Approval Requested', cloud: 'azure', action: 'accept-peering' },
    ]);
  });

  it('retries once, then counts the outcomes failed instead of throwing', async () => {
    let calls = 0;
    const publisher: MessagePublisher = {
      publish: async () => {
        calls++;
        throw new Error('HTTP 503');
      },
    };
    expect(await new PubSubOutcomePublisher({ topic: 't', publisher }).publish([outcome(1)])).toEqual({
      published: 0,
      failed: 1,
    });
    expect(calls).toBe(2);
  });
});

describe('the GCP and Azure runtimes publish what a reconcile did', () => {
  const world = () =>
    new MemoryCloud(
      estate(
        [
          network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' }),
          network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' }),
        ],
        [],
      ),
      () => NOW,
    );
  const trigger = { scope: { kind: 'estate' as const }, kind: 'sweep' as const, eventId: 'sweep-1' };

  it('GCP: to the topic PEERKEEPER_OUTCOME_TOPIC names, one message per change, typed by attribute', async () => {
    const sent: { topic: string; type?: string }[] = [];
    const publisher: MessagePublisher = {
      publish: async (topic, messages) => {
        sent.push(...messages.map((m) => ({ topic, type: m.attributes?.type })));
        return messages.length;
      },
    };
    const runtime = createGcpRuntime({
      policy: hubSpokePolicy(),
      env: { PEERKEEPER_OUTCOME_TOPIC: 'projects/p/topics/peerkeeper-outcomes' },
      providers: { aws: new MemoryProvider('aws', world()) },
      publisher,
      now: () => NOW,
    });
    const { result } = await runtime.reconcileTrigger(trigger, NOW.getTime());
    expect(result.writes).toBeGreaterThan(0);
    expect(new Set(sent.map((m) => m.topic))).toEqual(new Set(['projects/p/topics/peerkeeper-outcomes']));
    expect(sent.map((m) => m.type)).toEqual(
      expect.arrayContaining(['Peering Created', 'Peering Accepted', 'Route Created']),
    );
  });

  it('GCP: without PEERKEEPER_OUTCOME_TOPIC nothing is published', async () => {
    const publish = jest.fn(async () => 0);
    const runtime = createGcpRuntime({
      policy: hubSpokePolicy(),
      env: {},
      providers: { aws: new MemoryProvider('aws', world()) },
      publisher: { publish },
      now: () => NOW,
    });
    await runtime.reconcileTrigger(trigger, NOW.getTime());
    expect(publish).not.toHaveBeenCalled();
  });

  it('Azure: to the injected Event Grid publisher, the same outcomes', async () => {
    const published: OutcomeEvent[] = [];
    const runtime = createAzureRuntime({
      policy: hubSpokePolicy(),
      env: {},
      providers: { aws: new MemoryProvider('aws', world()) },
      idempotency: new MemoryIdempotencyStore(),
      now: () => NOW,
      outcomes: {
        publish: async (events) => {
          published.push(...events);
          return { published: events.length, failed: 0 };
        },
      },
    });
    await runtime.reconcileTrigger(trigger, NOW.getTime());
    expect(published.map((e) => e.detailType)).toEqual(
      expect.arrayContaining(['Peering Created', 'Peering Accepted', 'Route Created']),
    );
  });
});
