import { MalformedEventError } from '../../../shared/errors';
import { PolicySchema } from '../../../shared/policy/schema';
import { AzureWorld, deadLettered, EMULATOR_PRINCIPAL_ID } from '../../e2e/azure-harness';

const HUB_SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const policy = PolicySchema.parse({
  version: 1,
  identities: [EMULATOR_PRINCIPAL_ID],
  providers: { azure: { subscriptions: [HUB_SUB] } },
  groups: { hub: { cloud: 'azure', account: HUB_SUB } },
});
const vnetEvent = (id: string) => ({
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

let world: AzureWorld;
beforeAll(async () => {
  world = await AzureWorld.start(policy);
});
afterAll(() => world.close());
beforeEach(() => world.emu.calls.reset());

describe('Azure handlers', () => {
  const malformed: Record<string, { reason: string; event: unknown }> = {
    'a string': { reason: 'garbage on the topic must not crash the host', event: 'hello' },
    'an unread event type': {
      reason: 'a subscription filter that lets through what the normalizer does not read',
      event: { ...vnetEvent('m1'), eventType: 'Microsoft.Storage.BlobCreated' },
    },
    'a VNet write naming no VNet': {
      reason: 'the normalizer cannot name a scope',
      event: { ...vnetEvent('m2'), data: { ...vnetEvent('m2').data, resourceUri: '/subscriptions/x' } },
    },
  };
  it.each(Object.entries(malformed))('dead-letters %s on the queue, without an ARM call', async (_name, c) => {
    const { result, invocation } = await world.event(c.event);
    expect(result).toMatchObject({ status: 'dead-lettered' });
    expect(deadLettered(invocation.context)).toMatchObject({
      error: { name: MalformedEventError.name },
      input: c.event,
    });
    expect(world.emu.calls.reads() + world.emu.calls.writes()).toBe(0);
  });

  it('answers the Event Grid validation handshake with the code, reconciling nothing', async () => {
    const response = await world.http(
      JSON.stringify([
        {
          id: 'v',
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          subject: '',
          eventTime: '',
          dataVersion: '1',
          data: { validationCode: 'ABC-123' },
        },
      ]),
    );
    expect(response).toMatchObject({ status: 200, jsonBody: { validationResponse: 'ABC-123' } });
    expect(world.emu.calls.reads()).toBe(0);
  });

  it('answers the CloudEvents abuse-protection OPTIONS with the requesting origin', async () => {
    const response = await world.http('', 'OPTIONS', { 'webhook-request-origin': 'eventgrid.azure.net' });
    expect(response).toMatchObject({ status: 200, headers: { 'WebHook-Allowed-Origin': 'eventgrid.azure.net' } });
  });

  it('reconciles a batch once per scope and skips already-finished event ids when the batch is redelivered', async () => {
    const batch = JSON.stringify([vnetEvent('b1'), vnetEvent('b2')]);
    const first = await world.http(batch);
    expect(first.status).toBe(200);
    expect((first.jsonBody as { results: unknown[] }).results).toHaveLength(2);
    const reads = world.emu.calls.reads();
    expect(reads).toBeGreaterThan(0);
    const again = await world.http(batch);
    expect((again.jsonBody as { results: { status: string }[] }).results[0]).toEqual({ status: 'duplicate' });
    expect(world.emu.calls.reads()).toBeLessThan(2 * reads);
  });

  it('returns 400 for a malformed batch (Event Grid dead-letters it at once); an ARM outage writes nothing and fails no delivery', async () => {
    expect((await world.http('not json')).status).toBe(400);
    expect((await world.http(JSON.stringify([vnetEvent('ok'), { nope: true }]))).status).toBe(400);
    world.emu.faults.serverError({ operation: 'Microsoft.Network/virtualNetworks/read' });
    try {
      const response = await world.http(JSON.stringify([vnetEvent('retry-me')]));
      expect(response.status).toBe(200);
      // An observation that failed is incomplete, not an error: nothing is written and the sweep repairs it later.
      expect((response.jsonBody as { results: { complete?: boolean; status: string }[] }).results[0]).toMatchObject({
        status: 'reconciled',
        writes: 0,
      });
    } finally {
      world.emu.faults.clear();
    }
  });

  it('fans the sweep out to one message per governed subscription and dead-letters a foreign queue message', async () => {
    const messages = await world.sweep();
    expect(messages).toEqual([
      {
        trigger: expect.objectContaining({
          scope: { kind: 'account', cloud: 'azure', account: HUB_SUB },
          kind: 'sweep',
        }),
      },
    ]);
    expect((await world.work(messages[0])).result).toMatchObject({ status: 'reconciled' });
    const foreign = await world.work({ hello: 'world' });
    expect(foreign.result).toMatchObject({ status: 'dead-lettered' });
    expect(deadLettered(foreign.invocation.context)).toMatchObject({ input: { hello: 'world' } });
  });
});
