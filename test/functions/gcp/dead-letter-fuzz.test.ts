import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEAD_LETTER_TOPIC, startWorld, type Json, type World } from '../../e2e/gcp-harness';

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 60) };
const FIXTURE = JSON.parse(
  readFileSync(
    join(__dirname, '..', '..', 'fixtures', 'events', 'gcp-eventarc-auditlog-cloudevent-structured-bigquery.json'),
    'utf8',
  ),
) as Json;

/** The vendor audit-log CloudEvent turned into a Compute call, then a few fields replaced by arbitrary JSON or removed. */
const garbled = fc
  .tuple(
    fc.uuid(),
    fc.array(
      fc.record({
        path: fc.constantFrom(
          ['type'],
          ['data'],
          ['data', 'protoPayload'],
          ['data', 'protoPayload', 'methodName'],
          ['data', 'protoPayload', 'resourceName'],
          ['data', 'protoPayload', 'status'],
          ['data', 'protoPayload', 'authenticationInfo'],
          ['data', 'resource'],
          ['data', 'operation'],
          ['source'],
        ),
        value: fc.option(fc.jsonValue(), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([id, edits]) => {
    const event = structuredClone(FIXTURE);
    event.id = id;
    Object.assign(event.data.protoPayload, {
      serviceName: 'compute.googleapis.com',
      methodName: 'v1.compute.networks.addPeering',
      resourceName: 'projects/spoke-prj/global/networks/spoke',
    });
    for (const { path, value } of edits) {
      let parent: Json = event;
      for (const key of path.slice(0, -1))
        parent = (typeof parent[key] === 'object' && parent[key] !== null ? parent[key] : (parent[key] = {})) as Json;
      if (value === undefined) delete parent[path[path.length - 1]!];
      else parent[path[path.length - 1]!] = value;
    }
    return event as unknown;
  });

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.em.close());

describe('dead-letter path under fuzzing (GCP audit-event handler)', () => {
  it('every input is reconciled, ignored, a duplicate, or dead-lettered on the topic with a typed terminal error and the whole input', async () => {
    let letters = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 3, arbitrary: garbled }, { weight: 1, arbitrary: fc.anything() }),
        async (input) => {
          const before = world.published.filter((p) => p.topic === DEAD_LETTER_TOPIC).length;
          const out = await world.event(input as Json);
          expect(['reconciled', 'ignored', 'duplicate', 'dead-lettered']).toContain(out.status);
          const parked = world.published.filter((p) => p.topic === DEAD_LETTER_TOPIC).slice(before) as {
            data: { error: { name: string }; input: unknown };
          }[];
          if (out.status === 'dead-lettered') {
            letters += 1;
            expect(parked).toHaveLength(1);
            expect(['MalformedEventError', 'TerminalError', 'PolicyError']).toContain(parked[0]!.data.error.name);
            expect(parked[0]!.data.input).toEqual(input); // nothing lost
          } else {
            expect(parked).toHaveLength(0);
          }
        },
      ),
      RUNS,
    );
    expect(letters).toBeGreaterThan(0);
  });
});
