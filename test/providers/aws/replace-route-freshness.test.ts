import { startAwsEmulator, type AwsEmulator } from '../../../infra/local/aws';
import type { ActionOf, NetworkRef } from '../../../shared/model';
import type { ApplyContext } from '../../../shared/providers/port';
import { AwsPeeringAdapter } from '../../../shared/providers/aws';
import { FRESH_PLAN_MS } from '../../../shared/providers/aws/applyRoute';
import { testClock } from '../../support/clock';

const HUB = '111111111111';
const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };
const DESTINATION = '10.40.0.0/16';

interface Case {
  name: string;
  reason: string;
  /** ms between the observation and the action; undefined = the executor passed no observation time. */
  age: number | undefined;
  attempt?: number;
  /** What someone did to the route between the plan and the action. */
  meanwhile?: 'repointed' | 'deleted' | 'fixed';
  calls: string[];
  status: string;
  /** Where the route points afterwards (undefined: no route). */
  after: string | undefined;
}

const CASES: Case[] = [
  {
    name: 'fresh plan, first attempt',
    reason: 'the observation is the re-check: no DescribeRouteTables before ReplaceRoute',
    age: 50,
    calls: ['ReplaceRoute'],
    status: 'done',
    after: 'tgw-0new',
  },
  {
    name: 'fresh at the edge of the window',
    reason: `exactly ${FRESH_PLAN_MS} ms old still counts as fresh`,
    age: FRESH_PLAN_MS,
    calls: ['ReplaceRoute'],
    status: 'done',
    after: 'tgw-0new',
  },
  {
    name: 'plan older than the window',
    reason: 'a stale plan re-reads the route first',
    age: FRESH_PLAN_MS + 1,
    calls: ['DescribeRouteTables', 'ReplaceRoute'],
    status: 'done',
    after: 'tgw-0new',
  },
  {
    name: 'stale plan, route changed since',
    reason: "someone else's change after the plan is not overwritten",
    age: 10_000,
    meanwhile: 'repointed',
    calls: ['DescribeRouteTables'],
    status: 'skipped',
    after: 'igw-0someone',
  },
  {
    name: 'fresh plan, route repointed meanwhile',
    reason:
      'inside the window a concurrent repoint is overwritten: the destination is one the plan wants for its peering, which the reconcile that change triggers would revert too',
    age: 50,
    meanwhile: 'repointed',
    calls: ['ReplaceRoute'],
    status: 'done',
    after: 'tgw-0new',
  },
  {
    name: 'fresh plan on a retry',
    reason: 'a retry may follow a partial failure, so it re-reads',
    age: 50,
    attempt: 2,
    meanwhile: 'repointed',
    calls: ['DescribeRouteTables'],
    status: 'skipped',
    after: 'igw-0someone',
  },
  {
    name: 'no observation time from the executor',
    reason: 'without it the plan is treated as old',
    age: undefined,
    calls: ['DescribeRouteTables', 'ReplaceRoute'],
    status: 'done',
    after: 'tgw-0new',
  },
  {
    name: 'fresh plan, route deleted meanwhile',
    reason: 'EC2 refuses ReplaceRoute; a re-read finds no route and skips, creating nothing',
    age: 50,
    meanwhile: 'deleted',
    calls: ['ReplaceRoute', 'DescribeRouteTables'],
    status: 'skipped',
    after: undefined,
  },
  {
    name: 'stale plan, route already fixed by someone',
    reason: 'the re-read sees the wanted target: converged, no write',
    age: 10_000,
    meanwhile: 'fixed',
    calls: ['DescribeRouteTables'],
    status: 'converged',
    after: 'tgw-0new',
  },
];

describe('replace-route re-reads the route unless the plan is fresh', () => {
  let emu: AwsEmulator;
  let adapter: AwsPeeringAdapter;
  const sent: string[] = [];
  const clock = testClock();

  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
    adapter = new AwsPeeringAdapter({
      roleName: 'peerkeeper-member',
      regions: ['us-east-1'],
      allowedAccounts: new Set([HUB]),
      hubAccount: HUB,
      endpoint: emu.url,
      credentials: STATIC,
      sdkMaxAttempts: 1,
      backoff: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
      onCommand: (c) => sent.push(c.command.replace(/Command$/, '')),
    });
  });
  afterAll(async () => {
    adapter.close();
    await emu.close();
  });

  it.each(CASES)('$name', async (c) => {
    const vpc = emu.state.createVpc({ account: HUB, region: 'us-east-1', cidr: '10.30.0.0/16' });
    const table = vpc.mainRouteTableId;
    emu.state.addRoute({ routeTableId: table, destination: DESTINATION, target: { natGatewayId: 'nat-0drift' } });
    const network: NetworkRef = { cloud: 'aws', account: HUB, region: 'us-east-1', id: vpc.vpcId };
    const action: ActionOf<'replace-route'> = {
      action: 'replace-route',
      cloud: 'aws',
      reason: 'revert drift',
      target: { network, routeTableId: table, destination: DESTINATION },
      before: { destination: DESTINATION, target: { kind: 'other', id: 'nat-0drift' }, origin: 'static' },
      after: { kind: 'other', id: 'tgw-0new' },
    };
    const routes = emu.state.table(table).routes;
    const index = routes.findIndex((r) => r.destination === DESTINATION);
    if (c.meanwhile === 'repointed')
      Object.assign(routes[index]!, { natGatewayId: undefined, gatewayId: 'igw-0someone' });
    if (c.meanwhile === 'fixed')
      Object.assign(routes[index]!, { natGatewayId: undefined, transitGatewayId: 'tgw-0new' });
    if (c.meanwhile === 'deleted') routes.splice(index, 1);
    const now = clock.now();
    const ctx: ApplyContext = {
      now,
      deadline: Date.now() + 10_000,
      resolvePeeringId: () => undefined,
      ...(c.age !== undefined ? { observedAt: now.getTime() - c.age } : {}),
      ...(c.attempt ? { attempt: c.attempt } : {}),
    };
    sent.length = 0;
    const outcome = await adapter.apply(action, ctx);
    const route = emu.state.table(table).routes.find((r) => r.destination === DESTINATION);
    expect({
      reason: c.reason,
      calls: sent,
      status: outcome.status,
      after: route ? (route.transitGatewayId ?? route.gatewayId ?? route.natGatewayId) : undefined,
    }).toEqual({ reason: c.reason, calls: c.calls, status: c.status, after: c.after });
  });
});
