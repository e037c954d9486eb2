import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import type { Policy } from '../../../shared/policy/schema';
import type { PeeringProvider } from '../../../shared/providers/port';
import { createAwsRuntime, type OutcomeEvent, type RuntimeQueues, type WorkMessage } from '../../../shared/runtime';
import { once, powertools, type HandlerDeps } from '../../../functions/aws/support/wiring';
import { TEST_NOW } from '../../support/clock';

/** JSON as parsed from a fixture, loose enough for tests to edit copies. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fresh, editable copy of a fixture in test/fixtures/aws. */
export function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'aws', name), 'utf8')) as Json;
}

/** A Lambda context with a fixed 60 s budget. */
export function lambdaContext(name = 'peerkeeper-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111111111111:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 's',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A DynamoDB stand-in on loopback (dynalite) holding idempotency tables. */
export class IdempotencyTables {
  private server: Server | undefined;
  client: DynamoDBClient | undefined;
  private count = 0;

  async start(): Promise<void> {
    this.server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  }

  /** A fresh table (key `id`, as serverless.yml declares it) and a persistence layer over it. */
  async layer(): Promise<DynamoDBPersistenceLayer> {
    const tableName = `idempotency-${++this.count}`;
    await this.client!.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: this.client! });
  }

  async stop(): Promise<void> {
    this.client?.destroy();
    if (this.server) await new Promise((resolve) => this.server!.close(resolve));
  }
}

/** What a handler did to the outside world besides the provider. */
export interface Recorded {
  outcomes: OutcomeEvent[];
  work: WorkMessage[];
  deadLetters: { input: unknown; error: Error }[];
  runtimeBuilds: number;
}

/** Handler deps over an injected provider, recording queues and outcomes, Powertools silenced. */
export async function testDeps(
  policy: Policy,
  aws: PeeringProvider,
  tables: IdempotencyTables,
  now: () => Date = () => TEST_NOW,
): Promise<{ deps: HandlerDeps; recorded: Recorded }> {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const recorded: Recorded = { outcomes: [], work: [], deadLetters: [], runtimeBuilds: 0 };
  const queues: RuntimeQueues = {
    sendWork: async (messages) => {
      recorded.work.push(...messages);
      return messages.length;
    },
    deadLetter: async (input, error) => {
      recorded.deadLetters.push({ input, error });
    },
  };
  const deps: HandlerDeps = {
    runtime: once(() => {
      recorded.runtimeBuilds += 1;
      return createAwsRuntime({
        policy,
        providers: { aws },
        queues,
        env: {},
        now,
        outcomes: {
          publish: async (events) => {
            recorded.outcomes.push(...events);
            return { published: events.length, failed: 0 };
          },
        },
      });
    }),
    ...powertools('test', 'SILENT'),
    persistenceStore: await tables.layer(),
  };
  return { deps, recorded };
}
