import fc from 'fast-check';
import type { SQSEvent } from 'aws-lambda';
import { TerminalError } from '../../../shared/errors';
import { MemoryCloud, MemoryProvider } from '../../../shared/providers/memory';
import { networkEventHandler } from '../../../functions/aws/network-event';
import { sweepWorkerHandler } from '../../../functions/aws/sweep-worker';
import { awsRef, estate, HUB, hubSpokePolicy, network, SPOKE_A } from '../../support/estate-builder';
import { fixture, IdempotencyTables, lambdaContext, testDeps, type Json } from './harness';
import { TEST_NOW } from '../../support/clock';

const tables = new IdempotencyTables();
beforeAll(() => tables.start());
afterAll(() => tables.stop());

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 60) };
const world = () =>
  new MemoryCloud(
    estate([
      network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' }),
      network(awsRef(SPOKE_A, 'vpc-spoke'), ['10.1.0.0/16'], { role: 'spoke' }),
    ]),
    () => TEST_NOW,
  );

// Paths of the vendor CreateRoute envelope a broken producer or a bad rule could garble.
const PATHS = [
  ['id'],
  ['detail-type'],
  ['source'],
  ['account'],
  ['region'],
  ['time'],
  ['detail'],
  ['detail', 'eventName'],
  ['detail', 'eventSource'],
  ['detail', 'requestParameters'],
  ['detail', 'responseElements'],
  ['detail', 'userIdentity'],
  ['detail', 'errorCode'],
  ['detail', 'awsRegion'],
];

/** The vendor event with a few fields replaced by arbitrary JSON or removed; a fresh id unless `id` itself is garbled. */
const garbledEvent = fc
  .tuple(
    fc.uuid(),
    fc.array(fc.record({ path: fc.constantFrom(...PATHS), value: fc.option(fc.jsonValue(), { nil: undefined }) }), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([id, edits]) => {
    const event = fixture('aws-ec2-CreateRoute-eventbridge-igw.json');
    event.id = id;
    for (const { path, value } of edits) {
      let parent: Json = event;
      for (const key of path.slice(0, -1))
        parent = (typeof parent[key] === 'object' && parent[key] !== null ? parent[key] : (parent[key] = {})) as Json;
      if (value === undefined) delete parent[path[path.length - 1]!];
      else parent[path[path.length - 1]!] = value;
    }
    return event as unknown;
  });

const idOf = (x: unknown): unknown => (typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined);

/** Powertools' own test for a missing idempotency key: nothing, or an object or array with no truthy value. */
const keyMissing = (id: unknown): boolean =>
  id !== null && typeof id === 'object' ? !Object.values(id).some(Boolean) : !id;

const inputArb = fc.oneof({ weight: 3, arbitrary: garbledEvent }, { weight: 1, arbitrary: fc.anything() });

describe('dead-letter path under fuzzing (AWS handlers)', () => {
  it('network-event: every input is reconciled, ignored or dead-lettered with a typed terminal error and the input kept', async () => {
    const cloud = world();
    const { deps, recorded } = await testDeps(hubSpokePolicy(), new MemoryProvider('aws', cloud), tables);
    const handler = networkEventHandler(deps);
    let deadLettered = 0;
    // Powertools idempotency warns (console.warn, no logger option) for an input without an event id: expected
    // for exactly those inputs, which are then dead-lettered un-keyed. Counted here instead of printed.
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    let withoutId = 0;
    await fc.assert(
      fc.asyncProperty(inputArb, async (input) => {
        const before = recorded.deadLetters.length;
        if (keyMissing(idOf(input))) withoutId += 1;
        const out = (await handler(input, lambdaContext())) as { status: string };
        expect(['reconciled', 'ignored', 'dead-lettered']).toContain(out.status);
        if (out.status === 'dead-lettered') {
          deadLettered += 1;
          const letter = recorded.deadLetters[before];
          if (letter) {
            expect(recorded.deadLetters).toHaveLength(before + 1);
            expect(letter.error).toBeInstanceOf(TerminalError);
            // Nothing lost: the dead letter carries the whole input (middy defaults a missing event to {}).
            expect(letter.input).toEqual(input === undefined ? {} : input);
          } else {
            // A repeated event id is answered from the idempotency record: its first copy is already in the DLQ.
            expect(idOf(input)).toBeDefined();
            expect(
              recorded.deadLetters.some((l) => JSON.stringify(idOf(l.input)) === JSON.stringify(idOf(input))),
            ).toBe(true);
          }
        } else {
          expect(recorded.deadLetters).toHaveLength(before);
        }
      }),
      RUNS,
    );
    expect(deadLettered).toBeGreaterThan(0);
    for (const [message] of warnings.mock.calls) expect(String(message)).toMatch(/^No value found for idempotency_key/);
    expect(warnings.mock.calls.length).toBeLessThanOrEqual(withoutId);
    warnings.mockRestore();
  });

  it('sweep-worker: every record is processed, dead-lettered (and acknowledged) or reported for redelivery — none dropped', async () => {
    const cloud = world();
    const { deps, recorded } = await testDeps(hubSpokePolicy(), new MemoryProvider('aws', cloud), tables);
    const handler = sweepWorkerHandler(deps);
    const valid = (id: string) =>
      JSON.stringify({
        trigger: {
          scope: { kind: 'account', cloud: 'aws', account: SPOKE_A, region: 'us-east-1' },
          kind: 'sweep',
          eventId: id,
        },
      });
    const bodyArb = fc.oneof(
      fc.string(),
      fc.jsonValue().map((j) => JSON.stringify(j)),
      fc.uuid().map(valid),
      fc.uuid().map((id) => valid(id).replace('"account"', '"acount"')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.uuid(), bodyArb), { minLength: 1, maxLength: 5 }), async (records) => {
        const unique = [...new Map(records.map(([id, body]) => [id, body])).entries()];
        const before = recorded.deadLetters.length;
        const event: SQSEvent = {
          Records: unique.map(([messageId, body]) => ({
            messageId,
            receiptHandle: `rh-${messageId}`,
            body,
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: '0',
              SenderId: 'x',
              ApproximateFirstReceiveTimestamp: '0',
            },
            eventSourceARN: 'arn:aws:sqs:us-east-1:111111111111:work',
            awsRegion: 'us-east-1',
          })),
        };
        const out = await handler(event, lambdaContext());
        const letters = recorded.deadLetters.slice(before);
        const retried = new Set(out.batchItemFailures.map((f) => f.itemIdentifier));
        for (const [messageId, body] of unique) {
          const parked = letters.filter((l) => (l.input as { messageId?: string }).messageId === messageId);
          const wellFormed = (() => {
            try {
              return (
                typeof (JSON.parse(body) as { trigger?: { scope?: { account?: unknown } } }).trigger?.scope?.account ===
                'string'
              );
            } catch {
              return false;
            }
          })();
          // Exactly one fate per record; a malformed one is parked with its body, never retried.
          expect(parked.length + (retried.has(messageId) ? 1 : 0)).toBeLessThanOrEqual(1);
          if (!wellFormed) {
            expect(parked).toHaveLength(1);
            expect(parked[0]!.error).toBeInstanceOf(TerminalError);
            expect((parked[0]!.input as { body: string }).body).toBe(body);
          }
        }
      }),
      RUNS,
    );
  });
});
