import type { app } from '@azure/functions';
import { approvalHttpHandler } from './approval';
import { approvalWorkerHandler } from './approval-worker';
import { eventGridHandler } from './event-grid';
import { eventGridHttpHandler } from './event-grid-http';
import { sweepHandler } from './sweep';
import { sweepWorkerHandler } from './sweep-worker';
import {
  approvalQueue,
  deadLetterQueue,
  QUEUES,
  STORAGE_CONNECTION,
  workQueue,
  type AzureHandlerDeps,
} from './support/deps';

/** Function names; infra/azure/main.tf points Event Grid at `events` by name (a test checks they agree). */
export const FUNCTION_NAMES = {
  events: 'peerkeeper-events',
  eventsHttp: 'peerkeeper-events-http',
  sweep: 'peerkeeper-sweep',
  sweepWorker: 'peerkeeper-sweep-worker',
  approval: 'peerkeeper-approval',
  approvalWorker: 'peerkeeper-approval-worker',
} as const;

/** The sweep's NCRONTAB schedule comes from an app setting (default hourly, set by Terraform). */
export const SWEEP_SCHEDULE_SETTING = '%PEERKEEPER_SWEEP_SCHEDULE%';

/** The part of `app` the registrations use; tests pass a recorder and invoke the real handlers. */
export type FunctionRegistry = Pick<typeof app, 'eventGrid' | 'http' | 'timer' | 'storageQueue'>;

/** Registers every Azure function with `registry` (the real `app` in index.ts). */
export function registerFunctions(registry: FunctionRegistry, deps: AzureHandlerDeps): void {
  registry.eventGrid<unknown>(FUNCTION_NAMES.events, {
    handler: eventGridHandler(deps),
    extraOutputs: [deadLetterQueue],
  });
  registry.http(FUNCTION_NAMES.eventsHttp, {
    methods: ['POST', 'OPTIONS'],
    authLevel: 'function',
    route: 'events',
    handler: eventGridHttpHandler(deps),
  });
  registry.timer(FUNCTION_NAMES.sweep, {
    schedule: SWEEP_SCHEDULE_SETTING,
    handler: sweepHandler(deps),
    extraOutputs: [workQueue],
  });
  registry.storageQueue<unknown>(FUNCTION_NAMES.sweepWorker, {
    queueName: QUEUES.work,
    connection: STORAGE_CONNECTION,
    handler: sweepWorkerHandler(deps),
    extraOutputs: [deadLetterQueue],
  });
  // Slack signs the request itself (HMAC over the raw body): anonymous, so Slack needs no function key.
  registry.http(FUNCTION_NAMES.approval, {
    methods: ['POST'],
    authLevel: 'anonymous',
    route: 'slack',
    handler: approvalHttpHandler(deps),
    extraOutputs: [approvalQueue],
  });
  registry.storageQueue<unknown>(FUNCTION_NAMES.approvalWorker, {
    queueName: QUEUES.approval,
    connection: STORAGE_CONNECTION,
    handler: approvalWorkerHandler(deps),
    extraOutputs: [deadLetterQueue],
  });
}
