import { sweepHandler } from '../../../functions/aws/sweep';
import type { Observation, Scope } from '../../../shared/model';
import { MemoryCloud, MemoryProvider } from '../../../shared/providers/memory';
import type { Partition, PeeringProvider } from '../../../shared/providers/port';
import { awsRef, estate, HUB, hubSpokePolicy, network, SPOKE_A } from '../../support/estate-builder';
import { TEST_NOW } from '../../support/clock';
import { IdempotencyTables, lambdaContext, testDeps } from './harness';

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

const VENDED = '333333333333';

/** A provider whose organization discovery finds an OU account the policy never lists (or fails). */
class DiscoveringProvider implements PeeringProvider {
  readonly cloud = 'aws' as const;
  readonly scopes: (Scope | undefined)[] = [];
  constructor(
    private readonly inner: PeeringProvider,
    private readonly found: () => Promise<Partition[]>,
  ) {}
  observe(partitions: readonly Partition[]): Promise<Observation> {
    return this.inner.observe(partitions);
  }
  apply: PeeringProvider['apply'] = (action, ctx) => this.inner.apply(action, ctx);
  partitions(scope?: Scope): Promise<Partition[]> {
    this.scopes.push(scope);
    return this.found();
  }
}

const policy = hubSpokePolicy({
  providers: { aws: { regions: ['us-east-1', 'eu-west-1'], accounts: [HUB, SPOKE_A] } },
});
const cloud = () =>
  new MemoryCloud(estate([network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' })]), () => TEST_NOW);

describe('the sweep fans out to discovered accounts too', () => {
  it('sends one message per discovered account and region, beside the listed ones, from one estate-wide discovery', async () => {
    const provider = new DiscoveringProvider(new MemoryProvider('aws', cloud()), async () => [
      { cloud: 'aws', account: VENDED },
    ]);
    const { deps, recorded } = await testDeps(policy, provider, tables);
    expect(await sweepHandler(deps)(scheduled('tick-discovered'), lambdaContext())).toEqual({
      status: 'fanned-out',
      partitions: 6,
    });
    const units = recorded.work
      .map((m) => (m.trigger.scope.kind === 'account' ? `${m.trigger.scope.account}:${m.trigger.scope.region}` : '?'))
      .sort();
    expect(units).toEqual([HUB, SPOKE_A, VENDED].flatMap((a) => [`${a}:eu-west-1`, `${a}:us-east-1`]));
    expect(provider.scopes).toEqual([{ kind: 'estate' }]);
  });

  it('still sweeps the listed accounts when discovery fails, then fails the run (alarmed), never an empty organization', async () => {
    const provider = new DiscoveringProvider(new MemoryProvider('aws', cloud()), async () => {
      throw new Error('organizations:ListRoots: AccessDenied');
    });
    const { deps, recorded } = await testDeps(policy, provider, tables);
    await expect(sweepHandler(deps)(scheduled('tick-failed'), lambdaContext())).rejects.toThrow(/ListRoots/);
    expect(
      recorded.work.map((m) => (m.trigger.scope.kind === 'account' ? m.trigger.scope.account : '?')).sort(),
    ).toEqual([HUB, HUB, SPOKE_A, SPOKE_A]);
  });
});
