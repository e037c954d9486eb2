import fc from 'fast-check';
import { PolicySchema } from '../../../shared/policy/schema';
import { AzureWorld, deadLettered, EMULATOR_PRINCIPAL_ID } from '../../e2e/azure-harness';

const HUB_SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 60) };
const policy = PolicySchema.parse({
  version: 1,
  identities: [EMULATOR_PRINCIPAL_ID],
  providers: { azure: { subscriptions: [HUB_SUB] } },
  groups: { hub: { cloud: 'azure', account: HUB_SUB } },
});
const vnetEvent = (id: string): Record<string, unknown> => ({
  id,
  eventType: 'Microsoft.Resources.ResourceWriteSuccess',
  subject: 's',
  eventTime: '2026-01-01T00:00:00Z',
  dataVersion: '2',
  metadataVersion: '1',
  topic: `/subscriptions/${HUB_SUB}`,
  data: {
    operationName: 'Microsoft.Network/virtualNetworks/write',
    status: 'Succeeded',
    resourceUri: `/subscriptions/${HUB_SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub`,
    claims: { oid: 'someone' },
  },
});

/** A real-shaped VNet write with a few top-level or data fields replaced by arbitrary JSON or removed. */
const garbled = fc
  .tuple(
    fc.uuid(),
    fc.array(
      fc.record({
        key: fc.constantFrom(
          'id',
          'eventType',
          'subject',
          'topic',
          'data',
          'data.operationName',
          'data.status',
          'data.resourceUri',
          'data.claims',
        ),
        value: fc.option(fc.jsonValue(), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([id, edits]) => {
    const event = vnetEvent(id);
    for (const { key, value } of edits) {
      const [head, tail] = key.split('.') as [string, string | undefined];
      const parent = tail
        ? typeof event[head] === 'object' && event[head] !== null
          ? (event[head] as Record<string, unknown>)
          : ((event[head] = {}) as Record<string, unknown>)
        : event;
      const name = tail ?? head;
      if (value === undefined) delete parent[name];
      else parent[name] = value;
    }
    return event as unknown;
  });

let world: AzureWorld;
beforeAll(async () => {
  world = await AzureWorld.start(policy);
});
afterAll(() => world.close());

describe('dead-letter path under fuzzing (Azure Event Grid handler)', () => {
  it('every input is reconciled, ignored, a duplicate, or dead-lettered with a typed terminal error and the whole input', async () => {
    let letters = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 3, arbitrary: garbled }, { weight: 1, arbitrary: fc.anything() }),
        async (input) => {
          const { result, invocation } = await world.event(input);
          const status = (result as { status?: string }).status;
          expect(['reconciled', 'ignored', 'duplicate', 'dead-lettered']).toContain(status);
          const letter = deadLettered(invocation.context) as { error: { name: string }; input: unknown } | undefined;
          if (status === 'dead-lettered') {
            letters += 1;
            expect(['MalformedEventError', 'TerminalError', 'PolicyError']).toContain(letter?.error.name); // typed, terminal
            expect(letter?.input).toEqual(input); // nothing lost
          } else {
            expect(letter).toBeUndefined();
          }
        },
      ),
      RUNS,
    );
    expect(letters).toBeGreaterThan(0);
  });
});
