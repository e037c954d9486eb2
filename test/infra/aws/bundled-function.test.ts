import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import plugin from '../../../infra/aws/esbuild-plugin.cjs';
import { startAwsEmulator, type AwsEmulator } from '../../../infra/local/aws';
import type { RouteRecord } from '../../../infra/local/aws/state/types';
import { LOCAL_AWS_CREDENTIALS } from '../../../infra/local/cloud';
import { MANAGED_TAG } from '../../../shared/model';
import { compilePolicy, loadPolicy } from '../../../shared/policy';
import { DynamoAuditLog } from '../../../shared/stores/dynamodb';
import { AwsJsonStandIn, invokeLikeLambda, type Invocation } from './lambda-host';
import { declaredTables, functionEnvironment, functionTimeoutSeconds } from './serverless-config';

/*
 * The network-event Lambda bundle exactly as the packaging plugin builds it (esbuild, the zod and AWS SDK schema
 * plugins, policy.json beside it), run in fresh node processes against the EC2/STS emulator, dynalite and an
 * EventBridge/SQS/SSM stand-in. Every SDK the function uses (de)serializes through the rewritten schemas, so a
 * bad rewrite shows here, not at run time in Lambda.
 */

const ROOT = join(__dirname, '..', '..', '..');
const FUNCTION = 'network-event';
const HUB = '111111111111';
const SPOKE = '222222222222';
const REGION = 'us-east-1';
const CIDR = {
  hub: '10.0.0.0/16',
  hub6: '2600:1f18:4000:100::/56',
  spoke: '10.1.0.0/16',
  spoke6: '2600:1f18:4000:200::/56',
} as const;

/** The hub-spoke policy of the AWS e2e test: the emulator's static keys are the hub account's own identity. */
const POLICY_YAML = `version: 1
mode: enforce
identities: ["arn:aws:iam::${HUB}:user/peerkeeper-local"]
providers:
  aws: { roleName: peerkeeper-member, regions: [${REGION}], hubAccount: "${HUB}", accounts: ["${HUB}", "${SPOKE}"] }
groups:
  hub:    { cloud: aws, account: "${HUB}", region: ${REGION}, tags: { peerkeeper/role: hub } }
  spokes: { cloud: aws, account: ["${SPOKE}"], tags: { peerkeeper/role: spoke } }
connections:
  - { name: spokes-to-hub, topology: hub-spoke, hub: hub, spokes: spokes, approval: auto, routes: { tables: all } }
unmatchedRequests: reject
drift: { routes: revert, peerings: revert, unknownPeerings: report }
`;

let work: string;
let emu: AwsEmulator;
let dynamo: Server;
let dynamoUrl: string;
let dynamoClient: DynamoDBClient;
const standIn = new AwsJsonStandIn();
/** Logical id → what CloudFormation's Ref / GetAtt would give (names, queue URLs, the role ARN). */
const resources: Record<string, string> = {};
let hub: { vpcId: string; mainRouteTableId: string };
let spoke: { vpcId: string; mainRouteTableId: string };

/** Builds the bundle into `<dir>/functions/aws/network-event.js` with the packaging plugin's own options. */
async function bundleInto(dir: string): Promise<string> {
  const outfile = join(dir, 'functions', 'aws', `${FUNCTION}.js`);
  await build({
    ...plugin.esbuildOptions(join(ROOT, 'functions', 'aws', `${FUNCTION}.ts`), outfile),
    logLevel: 'error',
  });
  return outfile;
}

/** The vendor CreateRoute envelope (test/fixtures/aws) turned into alice's CreateVpc of the spoke VPC. */
function createVpcEvent(id: string): Record<string, unknown> {
  const event = JSON.parse(
    readFileSync(join(ROOT, 'test', 'fixtures', 'aws', 'aws-ec2-CreateRoute-eventbridge-igw.json'), 'utf8'),
  ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  Object.assign(event, { id, account: SPOKE, region: REGION });
  Object.assign(event.detail, {
    eventName: 'CreateVpc',
    awsRegion: REGION,
    recipientAccountId: SPOKE,
    userIdentity: { ...event.detail.userIdentity, accountId: SPOKE, arn: `arn:aws:iam::${SPOKE}:user/alice` },
    requestParameters: { cidrBlock: CIDR.spoke, amazonProvidedIpv6CidrBlock: true },
    responseElements: {
      requestId: event.detail.responseElements.requestId,
      vpc: { vpcId: spoke.vpcId, cidrBlock: CIDR.spoke, state: 'pending' },
    },
  });
  return event;
}

/** The environment Lambda would give the function: serverless.yml's, the runtime's own, hub keys, local endpoints. */
function lambdaEnv(taskRoot: string): Record<string, string> {
  return {
    ...functionEnvironment(FUNCTION, resources),
    AWS_LAMBDA_FUNCTION_NAME: `peerkeeper-prod-${FUNCTION}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: `functions/aws/${FUNCTION}.handler`,
    TZ: ':UTC',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
    // No developer ~/.aws files: the function sees only what Lambda gives it.
    AWS_CONFIG_FILE: join(taskRoot, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(taskRoot, 'no-aws-credentials'),
    AWS_ENDPOINT_URL: emu.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: standIn.url,
    AWS_ENDPOINT_URL_SQS: standIn.url,
    AWS_ENDPOINT_URL_SSM: standIn.url,
  };
}

/** One invocation of the bundle under `taskRoot` in a new process (a cold start each time). */
function invoke(taskRoot: string, event: unknown): Promise<Invocation> {
  return invokeLikeLambda({
    bundle: join(taskRoot, 'functions', 'aws', `${FUNCTION}.js`),
    taskRoot,
    event,
    env: lambdaEnv(taskRoot),
    timeoutSeconds: functionTimeoutSeconds(FUNCTION),
  });
}

/** Emulator calls (reads: Describe, Get, List and AssumeRole; writes: the rest) made while `run` runs. */
async function emulatorCalls<T>(run: () => Promise<T>): Promise<{ out: T; reads: number; writes: number }> {
  const [reads, writes] = [emu.calls.reads, emu.calls.writes];
  const out = await run();
  return { out, reads: emu.calls.reads - reads, writes: emu.calls.writes - writes };
}

/** ERROR-level lines the function logged (Powertools JSON): failures it swallows, such as undelivered outcome events. */
function errorLogs(out: Invocation): string[] {
  return `${out.stdout}\n${out.stderr}`
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level?: string; message?: string })
    .filter((l) => l.level === 'ERROR')
    .map((l) => String(l.message));
}

/** The correlation ids on the function's log lines (Powertools JSON). */
function correlationIds(out: Invocation): string[] {
  return [
    ...new Set(
      `${out.stdout}\n${out.stderr}`
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => (JSON.parse(l) as { correlation_id?: string }).correlation_id)
        .filter((id): id is string => id !== undefined),
    ),
  ];
}

const routeTo = (table: string, destination: string): RouteRecord | undefined =>
  emu.state.table(table).routes.find((r) => r.destination === destination);
const livePeerings = () =>
  [...emu.state.peerings.values()].filter((p) => !['deleted', 'rejected', 'failed', 'expired'].includes(p.status));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'peerkeeper-bundled-'));
  const bundling = bundleInto(work);
  emu = await startAwsEmulator();
  await standIn.start();
  dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
  dynamoUrl = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  dynamoClient = new DynamoDBClient({ endpoint: dynamoUrl, region: REGION, credentials: LOCAL_AWS_CREDENTIALS });
  for (const { logicalId, input } of declaredTables()) {
    resources[logicalId] = `peerkeeper-prod-${logicalId}`;
    await dynamoClient.send(new CreateTableCommand(input(resources[logicalId])));
  }
  for (const queue of ['WorkQueue', 'NetworkEventDeadLetterQueue'])
    resources[queue] = `${standIn.url}/${HUB}/peerkeeper-prod-${queue}`;
  resources.PeerkeeperBus = 'peerkeeper-prod';
  resources['IamRoleLambdaExecution.Arn'] = `arn:aws:iam::${HUB}:role/peerkeeper-prod-${REGION}-lambdaRole`;

  hub = emu.state.createVpc({
    account: HUB,
    region: REGION,
    cidr: CIDR.hub,
    ipv6Cidr: CIDR.hub6,
    tags: { Name: 'hub', 'peerkeeper/role': 'hub' },
  });
  spoke = emu.state.createVpc({
    account: SPOKE,
    region: REGION,
    cidr: CIDR.spoke,
    ipv6Cidr: CIDR.spoke6,
    tags: { Name: 'payments', 'peerkeeper/role': 'spoke' },
  });
  mkdirSync(join(work, 'functions', 'aws'), { recursive: true });
  writeFileSync(
    join(work, 'functions', 'aws', 'policy.json'),
    compilePolicy(loadPolicy(POLICY_YAML, 'policy.yaml').policy),
  );
  await bundling;
}, 120_000);

afterAll(async () => {
  dynamoClient?.destroy();
  await standIn.stop();
  await emu?.close();
  if (dynamo) await new Promise((resolve) => dynamo.close(resolve));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the bundled network-event function, run as Lambda runs it', () => {
  let first: Invocation;

  it('peers the new spoke VPC to the hub (IPv4 + IPv6 routes on both sides), with policy.json found beside the bundle', async () => {
    const { out, writes } = await emulatorCalls(() => invoke(work, createVpcEvent('evt-create-vpc-1')));
    first = out;
    expect({ exitCode: out.exitCode, error: out.error, errorLogs: errorLogs(out) }).toEqual({
      exitCode: 0,
      error: undefined,
      errorLogs: [],
    });
    // 6 changes — create, accept, 4 routes (main table × v4/v6 × 2 sides) — in 7 calls: the accept also tags the accepter's view.
    expect(out.result).toMatchObject({ status: 'reconciled', failed: 0, writes: 6 });
    expect(writes).toBe(7);
    // Every log line of the invocation carries the EventBridge event id as its correlation id.
    expect(correlationIds(out)).toEqual(['evt-create-vpc-1']);
    // Only EC2 and STS reached the emulator: a JSON-protocol call (DynamoDB, EventBridge, SQS, SSM) has no Action there.
    expect(emu.calls.of('')).toBe(0);

    const [peering, ...others] = livePeerings();
    expect(others).toEqual([]);
    expect(peering?.status).toBe('active');
    expect([peering!.requester.vpcId, peering!.accepter.vpcId].sort()).toEqual([hub.vpcId, spoke.vpcId].sort());
    // Tags are visible only in the requester's account: that is where peerkeeper marks what it owns.
    expect(peering!.tags.get(peering!.requester.account)).toMatchObject({
      [MANAGED_TAG]: 'true',
      'peerkeeper:connection': 'spokes-to-hub',
    });
    // …and peerkeeper tags the accepter's view when it accepts, so that account's reconciles see the link is ours.
    expect(peering!.tags.get(peering!.accepter.account)).toEqual({
      [MANAGED_TAG]: 'true',
      'peerkeeper:connection': 'spokes-to-hub',
    });
    for (const cidr of [CIDR.spoke, CIDR.spoke6])
      expect({ cidr, ...routeTo(hub.mainRouteTableId, cidr) }).toMatchObject({ vpcPeeringConnectionId: peering!.id });
    for (const cidr of [CIDR.hub, CIDR.hub6])
      expect({ cidr, ...routeTo(spoke.mainRouteTableId, cidr) }).toMatchObject({ vpcPeeringConnectionId: peering!.id });
    expect(emu.state.routeState(routeTo(hub.mainRouteTableId, CIDR.spoke6)!)).toBe('active');
  });

  it('writes the audit log and the idempotency record to DynamoDB, and publishes the outcomes to the bus serverless.yml names', async () => {
    const audit = await new DynamoAuditLog({ client: dynamoClient, tableName: resources.AuditTable! }).list();
    const mine = audit.filter((e) => e.eventId === 'evt-create-vpc-1');
    expect(mine.map((e) => [e.action, e.outcome])).toEqual(
      expect.arrayContaining([
        ['create-peering', 'done'],
        ['accept-peering', 'done'],
      ]),
    );
    expect(mine.filter((e) => e.outcome === 'done')).toHaveLength(6);

    const idempotency = await dynamoClient.send(new ScanCommand({ TableName: resources.IdempotencyTable }));
    expect(idempotency.Items?.map((i) => [i.id?.S?.startsWith(`peerkeeper-prod-${FUNCTION}`), i.status?.S])).toEqual([
      [true, 'COMPLETED'],
    ]);

    const entries = standIn
      .of('AWSEvents.PutEvents')
      .flatMap((c) => c.body.Entries as { Source: string; DetailType: string; EventBusName: string; Detail: string }[]);
    expect(entries.length).toBeGreaterThan(0);
    expect(first.result).toMatchObject({ published: entries.length });
    expect(new Set(entries.map((e) => `${e.Source} → ${e.EventBusName}`))).toEqual(
      new Set([`peerkeeper → ${resources.PeerkeeperBus}`]),
    );
    expect(entries.map((e) => e.DetailType)).toContain('Peering Created');
    // Nothing was dead-lettered or queued; the only other call is the Slack token lookup (not found: approvals go to the log).
    expect(new Set(standIn.calls.map((c) => c.target))).toEqual(
      new Set(['AWSEvents.PutEvents', 'AmazonSSM.GetParameter']),
    );
  });

  it('answers a redelivery of the same event from the idempotency record: zero EC2 calls, the same result', async () => {
    const { out, reads, writes } = await emulatorCalls(() => invoke(work, createVpcEvent('evt-create-vpc-1')));
    expect({ error: out.error, errorLogs: errorLogs(out) }).toEqual({ error: undefined, errorLogs: [] });
    expect(out.result).toEqual(first.result);
    expect({ reads, writes }).toEqual({ reads: 0, writes: 0 });
  });

  it('reconciles a new event about the converged spoke with zero writes', async () => {
    const { out, reads, writes } = await emulatorCalls(() => invoke(work, createVpcEvent('evt-create-vpc-2')));
    expect({ error: out.error, errorLogs: errorLogs(out) }).toEqual({ error: undefined, errorLogs: [] });
    expect(out.result).toMatchObject({ status: 'reconciled', actions: 0, writes: 0, failed: 0 });
    expect(reads).toBeGreaterThan(0);
    expect(writes).toBe(0);
    expect(livePeerings()).toHaveLength(1);
  });

  it('refuses to start with a policy.json that does not validate, naming the problem and touching nothing', async () => {
    const bad = join(work, 'bad-policy');
    mkdirSync(join(bad, 'functions', 'aws'), { recursive: true });
    copyFileSync(join(work, 'functions', 'aws', `${FUNCTION}.js`), join(bad, 'functions', 'aws', `${FUNCTION}.js`));
    const compiled = JSON.parse(readFileSync(join(work, 'functions', 'aws', 'policy.json'), 'utf8')) as {
      connections: { hub: string }[];
    };
    compiled.connections[0]!.hub = 'hubb';
    writeFileSync(join(bad, 'functions', 'aws', 'policy.json'), JSON.stringify(compiled, null, 2));
    const sqsBefore = standIn.calls.length;

    const { out, reads, writes } = await emulatorCalls(() => invoke(bad, createVpcEvent('evt-create-vpc-bad')));
    expect(out.exitCode).toBe(1);
    // The class names are minified away; the error keeps its own (what Lambda reports and dead letters carry).
    expect(out.error?.name).toBe('PolicyError');
    expect(out.error?.message).toContain(join(bad, 'functions', 'aws', 'policy.json'));
    expect(out.error?.message).toMatch(/connections\[0\]\.hub: unknown group "hubb"/);
    expect({ reads, writes, standIn: standIn.calls.length - sqsBefore }).toEqual({ reads: 0, writes: 0, standIn: 0 });
  });
});
