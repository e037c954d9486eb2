import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import type { Context, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { networkEventHandler } from '../../../functions/aws/network-event';
import { pendingPollHandler } from '../../../functions/aws/pending-poll';
import { sweepHandler } from '../../../functions/aws/sweep';
import { sweepWorkerHandler } from '../../../functions/aws/sweep-worker';
import { powertools, type HandlerDeps } from '../../../functions/aws/support/wiring';
import type { Trigger } from '../../../shared/model';
import type { Policy } from '../../../shared/policy';
import { createAwsProvider } from '../../../shared/providers/aws';
import type { ReconcileResult } from '../../../shared/reconcile';
import { createAwsRuntime, type AwsRuntime, type WorkMessage } from '../../../shared/runtime';
import type { AuditLog } from '../../../shared/stores/ports';
import type { LocalApprovalWiring } from './approvals';

/** A Valkey-shaped client over a Map: the idempotency records the real handlers keep, minus the server. */
class MapCache {
  private readonly values = new Map<string, { value: string; until: number }>();
  async get(name: string): Promise<string | null> {
    const hit = this.values.get(name);
    return hit && hit.until > Date.now() ? hit.value : null;
  }
  async set(name: string, value: unknown, options?: unknown): Promise<string | null> {
    const opts = (options ?? {}) as { EX?: number; NX?: boolean };
    if (opts.NX && (await this.get(name)) !== null) return null;
    this.values.set(name, { value: String(value), until: Date.now() + (opts.EX ?? 3600) * 1000 });
    return 'OK';
  }
  async del(keys: string[]): Promise<number> {
    return keys.filter((k) => this.values.delete(k)).length;
  }
}

/** A Lambda context with the 900 s budget serverless.yml gives the reconciling functions. */
export function lambdaContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111111111111:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The real AWS handlers (network-event, pending-poll, sweep-worker) wired to the local EC2 emulator. */
export interface LocalAwsFunctions {
  runtime: AwsRuntime;
  /** Delivers one EventBridge event to network-event, as the bus rule would. */
  networkEvent(event: unknown): Promise<unknown>;
  /** Runs the pending-request poll; its work messages are handed to `onWork` (the local SQS). */
  pendingPoll(): Promise<unknown>;
  /** Runs the scheduled sweep (fan-out; the work goes to `onWork` like the pending poll's). */
  sweep(): Promise<unknown>;
  /** Runs the sweep worker on work messages, as SQS would deliver a batch. */
  sweepWorker(messages: readonly WorkMessage[]): Promise<unknown>;
  /** Reconciles one trigger directly (the approval endpoint after a decision). */
  reconcile(trigger: Trigger): Promise<ReconcileResult>;
}

/** Builds the AWS functions over the emulator at `endpoint` (static credentials = the hub account). */
export function localAwsFunctions(opts: {
  policy: Policy;
  endpoint: string;
  audit: AuditLog;
  approvals: LocalApprovalWiring;
  onWork: (messages: readonly WorkMessage[]) => void;
  log: (line: string) => void;
  now?: () => Date;
}): LocalAwsFunctions {
  const now = opts.now ?? (() => new Date());
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const env = { AWS_ENDPOINT_URL: opts.endpoint, AWS_REGION: 'us-east-1' };
  const runtime = createAwsRuntime({
    policy: opts.policy,
    env,
    audit: opts.audit,
    approvals: opts.approvals.runtime,
    now,
    providers: { aws: createAwsProvider(opts.policy, env) },
    queues: {
      sendWork: async (messages) => {
        opts.onWork(messages);
        return messages.length;
      },
      deadLetter: async (_input, error) => opts.log(`aws dead letter: ${error.message}`),
    },
    outcomes: { publish: async (events) => ({ published: events.length, failed: 0 }) },
  });
  // One persistence layer per function, as each Lambda has its own idempotency configuration (key path).
  const deps = (): HandlerDeps => ({
    runtime: () => runtime,
    ...powertools('local', 'SILENT'),
    persistenceStore: new CachePersistenceLayer({ client: new MapCache() }),
  });
  const network = networkEventHandler(deps());
  const poll = pendingPollHandler(deps());
  const sweep = sweepHandler(deps());
  const worker = sweepWorkerHandler(deps());
  let ticks = 0;
  const tick = (rule: string) => ({
    version: '0',
    id: `local-${rule}-${++ticks}-${randomUUID()}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '111111111111',
    time: now().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:events:us-east-1:111111111111:rule/${rule}`],
    detail: {},
  });
  return {
    runtime,
    networkEvent: (event) => network(event, lambdaContext('peerkeeper-network-event')),
    pendingPoll: () => poll(tick('peerkeeper-pending-poll'), lambdaContext('peerkeeper-pending-poll')),
    // The real sweep also closes expired approvals (runtime.expireApprovals); locally the service is shared, so close them here.
    sweep: async () => {
      const out = await sweep(tick('peerkeeper-sweep'), lambdaContext('peerkeeper-sweep'));
      await opts.approvals.service.expireDue(now());
      return out;
    },
    sweepWorker: (messages) => {
      const event: SQSEvent = {
        Records: messages.map((m) => ({
          messageId: randomUUID(),
          receiptHandle: 'local',
          body: JSON.stringify(m),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(now().getTime()),
            SenderId: 'local',
            ApproximateFirstReceiveTimestamp: String(now().getTime()),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:111111111111:peerkeeper-work',
          awsRegion: 'us-east-1',
        })),
      };
      return worker(event, lambdaContext('peerkeeper-sweep-worker'));
    },
    reconcile: async (trigger) =>
      (await runtime.reconcileTrigger(trigger, lambdaContext('peerkeeper-approvals'))).result,
  };
}
