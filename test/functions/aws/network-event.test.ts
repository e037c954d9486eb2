import { MalformedEventError } from '../../../shared/errors';
import { MemoryCloud, MemoryProvider } from '../../../shared/providers/memory';
import { networkEventHandler } from '../../../functions/aws/network-event';
import { estate, HUB, hubSpokePolicy, network, awsRef, SPOKE_A } from '../../support/estate-builder';
import { fixture, IdempotencyTables, lambdaContext, testDeps, type Json } from './harness';
import { TEST_NOW } from '../../support/clock';

const tables = new IdempotencyTables();
beforeAll(() => tables.start());
afterAll(() => tables.stop());

const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' });
const spoke = network(awsRef(SPOKE_A, 'vpc-spoke'), ['10.1.0.0/16'], { role: 'spoke' });

/** The vendor CreateRoute envelope turned into a CreateVpc of the spoke by `actor`, with a fresh event id. */
function createVpcEvent(id: string, actorArn = 'arn:aws:iam::222222222222:user/alice'): Json {
  const event = fixture('aws-ec2-CreateRoute-eventbridge-igw.json');
  event.id = id;
  event.account = SPOKE_A;
  event.region = 'us-east-1';
  Object.assign(event.detail, {
    eventName: 'CreateVpc',
    awsRegion: 'us-east-1',
    recipientAccountId: SPOKE_A,
    userIdentity: { ...event.detail.userIdentity, arn: actorArn },
    requestParameters: { cidrBlock: '10.1.0.0/16' },
    responseElements: { vpc: { vpcId: 'vpc-spoke', cidrBlock: '10.1.0.0/16' } },
  });
  return event;
}

async function setup() {
  const cloud = new MemoryCloud(estate([hub, spoke]), () => TEST_NOW);
  const { deps, recorded } = await testDeps(hubSpokePolicy(), new MemoryProvider('aws', cloud), tables);
  return { cloud, recorded, handler: networkEventHandler(deps) };
}

describe('network-event handler', () => {
  it('reconciles a new spoke VPC into a peering with the hub and publishes what it did', async () => {
    const { cloud, recorded, handler } = await setup();
    const out = await handler(createVpcEvent('evt-1'), lambdaContext());
    expect(out).toMatchObject({ status: 'reconciled' });
    expect(cloud.writes).toBeGreaterThan(0);
    expect(
      [...cloud.peerings.values()].some((p) => p.requester.id === 'vpc-spoke' || p.accepter.id === 'vpc-spoke'),
    ).toBe(true);
    const types = recorded.outcomes.map((o) => o.detailType);
    expect(types).toContain('Peering Created');
    expect(recorded.outcomes.every((o) => o.detail.trigger?.eventId === 'evt-1')).toBe(true);
  });

  it('runs a redelivered event (same id) once: the idempotency record answers the second time', async () => {
    const { cloud, handler } = await setup();
    const first = await handler(createVpcEvent('evt-dup'), lambdaContext());
    const reads = cloud.reads;
    const second = await handler(createVpcEvent('evt-dup'), lambdaContext());
    expect(second).toEqual(first);
    expect(cloud.reads).toBe(reads);
  });

  it('makes zero writes for a second event about a converged scope', async () => {
    const { cloud, handler } = await setup();
    await handler(createVpcEvent('evt-a'), lambdaContext());
    const writes = cloud.writes;
    const out = await handler(createVpcEvent('evt-b'), lambdaContext());
    expect(out).toMatchObject({ status: 'reconciled', writes: 0 });
    expect(cloud.writes).toBe(writes);
  });

  it("ignores an event caused by peerkeeper's own member role: zero reads, zero writes", async () => {
    const { cloud, recorded, handler } = await setup();
    const out = await handler(
      createVpcEvent('evt-own', 'arn:aws:sts::222222222222:assumed-role/peerkeeper-member/peerkeeper'),
      lambdaContext(),
    );
    expect(out).toMatchObject({ status: 'ignored' });
    expect(cloud.writes).toBe(0);
    expect(cloud.reads).toBe(0);
    expect(recorded.outcomes).toEqual([]);
  });

  const malformed: Record<string, { reason: string; event: () => unknown }> = {
    'not an object': { reason: 'garbage on the bus must not crash the host', event: () => 'hello' },
    'no detail-type': {
      reason: 'the EventBridge envelope is incomplete',
      event: () => {
        const e = createVpcEvent('evt-m1');
        delete e['detail-type'];
        return e;
      },
    },
    'CreateVpc without a vpc id': {
      reason: 'the normalizer cannot name a scope',
      event: () => {
        const e = createVpcEvent('evt-m2');
        e.detail.responseElements = {};
        return e;
      },
    },
    'unknown detail-type': {
      reason: 'a rule pattern that lets through what the normalizer does not read',
      event: () => ({ ...createVpcEvent('evt-m3'), 'detail-type': 'EC2 Instance State-change Notification' }),
    },
  };
  it.each(Object.entries(malformed))(
    'dead-letters a malformed event (%s) with a typed terminal error',
    async (_name, c) => {
      const { cloud, recorded, handler } = await setup();
      const out = await handler(c.event(), lambdaContext());
      expect(out).toMatchObject({ status: 'dead-lettered' });
      expect(recorded.deadLetters).toHaveLength(1);
      expect(recorded.deadLetters[0]!.error).toBeInstanceOf(MalformedEventError);
      expect(cloud.writes).toBe(0);
    },
  );

  it('reconciles the vended account of a Control Tower CreateManagedAccount event', async () => {
    const { cloud, handler } = await setup();
    const event = fixture('aws-controltower-CreateManagedAccount.json');
    event.detail.serviceEventDetails.createManagedAccountStatus.account.accountId = SPOKE_A;
    const out = await handler(event, lambdaContext());
    expect(out).toMatchObject({ status: 'reconciled' });
    expect(cloud.writes).toBeGreaterThan(0);
  });
});
