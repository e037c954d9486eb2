import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventBridgeOutcomePublisher, type PutEvents } from '../../../shared/providers/aws/outcomes';
import { SqsSender, type SendBatch } from '../../../shared/providers/aws/queues';
import type { OutcomeEvent } from '../../../shared/runtime';

const event = (i: number): OutcomeEvent => ({
  detailType: 'Route Reverted',
  time: new Date('2026-11-20T12:00:00.000Z'),
  detail: {
    action: 'replace-route',
    cloud: 'aws',
    reason: `revert ${i}`,
    target: { subject: `s${i}` },
    scope: 'aws:111111111111',
    planHash: 'h',
    mode: 'enforce',
  },
});

function recordingLog() {
  const lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  return {
    lines,
    warn: (message: string, extra?: Record<string, unknown>) => lines.push({ level: 'warn', message, extra }),
    error: (message: string, extra?: Record<string, unknown>) => lines.push({ level: 'error', message, extra }),
  };
}

describe('EventBridgeOutcomePublisher', () => {
  const cases: Record<
    string,
    {
      reason: string;
      events: number;
      failFirst: (call: number, i: number) => boolean;
      calls: number;
      published: number;
      failed: number;
    }
  > = {
    'one batch': {
      reason: 'up to 10 entries go in one PutEvents',
      events: 10,
      failFirst: () => false,
      calls: 1,
      published: 10,
      failed: 0,
    },
    'three batches': {
      reason: 'PutEvents takes at most 10 entries',
      events: 23,
      failFirst: () => false,
      calls: 3,
      published: 23,
      failed: 0,
    },
    'transient entry failure': {
      reason: 'FailedEntryCount > 0 retries only the failed entries, once',
      events: 5,
      failFirst: (call, i) => call === 1 && i % 2 === 0,
      calls: 2,
      published: 5,
      failed: 0,
    },
    'persistent entry failure': {
      reason: 'what still fails after one retry is logged and counted, not thrown',
      events: 3,
      failFirst: (_call, i) => i === 0,
      calls: 2,
      published: 2,
      failed: 1,
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    const calls: PutEventsRequestEntry[][] = [];
    const putEvents: PutEvents = async (entries) => {
      calls.push(entries);
      const results = entries.map((e) =>
        c.failFirst(calls.length, Number(JSON.parse(e.Detail!).reason.split(' ')[1]))
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }
          : {},
      );
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    };
    const log = recordingLog();
    const out = await new EventBridgeOutcomePublisher({ eventBusName: 'peerkeeper-prod', putEvents, log }).publish(
      Array.from({ length: c.events }, (_, i) => event(i)),
    );
    expect(out).toEqual({ published: c.published, failed: c.failed });
    expect(calls).toHaveLength(c.calls);
    expect(calls.every((batch) => batch.length <= 10)).toBe(true);
    expect(calls[0]![0]).toMatchObject({
      Source: 'peerkeeper',
      DetailType: 'Route Reverted',
      EventBusName: 'peerkeeper-prod',
    });
    expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(c.failed > 0 ? 1 : 0);
  });

  it('retries a batch whose call throws once, then logs it without throwing', async () => {
    let calls = 0;
    const log = recordingLog();
    const out = await new EventBridgeOutcomePublisher({
      eventBusName: 'b',
      log,
      putEvents: async () => {
        calls += 1;
        throw new Error('socket hang up');
      },
    }).publish([event(1), event(2)]);
    expect(out).toEqual({ published: 0, failed: 2 });
    expect(calls).toBe(2);
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
  });
});

describe('SqsSender', () => {
  it('sends 2,000 messages in 200 batches of 10 and retries refused entries once', async () => {
    const seen = new Map<string, number>();
    let calls = 0;
    const sendBatch: SendBatch = async (_url, entries) => {
      calls += 1;
      const failed = [] as { Id: string; Code: string }[];
      for (const e of entries) {
        const n = (seen.get(e.MessageBody) ?? 0) + 1;
        seen.set(e.MessageBody, n);
        if (n === 1 && e.MessageBody.endsWith('7"}')) failed.push({ Id: e.Id, Code: 'ServiceUnavailable' });
      }
      expect(entries.length).toBeLessThanOrEqual(10);
      return { Failed: failed };
    };
    const messages = Array.from({ length: 2000 }, (_, i) => ({ id: `m${i}`, body: { n: `${i}` } }));
    expect(await new SqsSender({ sendBatch }).sendAll('https://sqs/q', messages)).toBe(2000);
    expect(seen.size).toBe(2000);
    expect(calls).toBe(200 + 200);
  });

  it('throws a retryable error naming what SQS kept refusing', async () => {
    const sendBatch: SendBatch = async (_url, entries) => ({
      Failed: entries.filter((e) => e.Id === '0').map((e) => ({ Id: e.Id, Code: 'X' })),
    });
    await expect(
      new SqsSender({ sendBatch }).sendAll('q', [
        { id: 'first', body: 1 },
        { id: 'second', body: 2 },
      ]),
    ).rejects.toMatchObject({ name: 'RetryableError', message: expect.stringContaining('first') });
  });
});
