import { output, type InvocationContext } from '@azure/functions';
import { createAzureRuntime, type AzureRuntime, type TriggerOutcome } from '../../../shared/runtime/azure';
import type { RuntimeLog } from '../../../shared/runtime/aws';
import { reconcileCounts } from '../../../shared/runtime/work';

/** Queue names; infra/azure/main.tf creates the same queues (a test checks). */
export const QUEUES = {
  work: 'peerkeeper-work',
  deadLetter: 'peerkeeper-deadletter',
  approval: 'peerkeeper-approval',
} as const;
/** The app setting holding the storage connection the queue bindings use (the Functions host's own). */
export const STORAGE_CONNECTION = 'AzureWebJobsStorage';

/** The sweep's work queue: one message per subscription. */
export const workQueue = output.storageQueue({ queueName: QUEUES.work, connection: STORAGE_CONNECTION });
/** Slack decisions the approval endpoint verified, for the approval worker (answered first: Slack waits 3 s). */
export const approvalQueue = output.storageQueue({ queueName: QUEUES.approval, connection: STORAGE_CONNECTION });
/** Where input peerkeeper can never process goes, with the reason, for a human. */
export const deadLetterQueue = output.storageQueue({ queueName: QUEUES.deadLetter, connection: STORAGE_CONNECTION });

/** What every Azure handler is built from; tests pass their own runtime (emulator-backed provider). */
export interface AzureHandlerDeps {
  /** Built on first use and kept for the instance's life (one cold start = one policy load). */
  runtime: () => AzureRuntime;
  /** Epoch ms, for deadlines. */
  clock: () => number;
}

/** Memoizes a factory: the runtime is built once per instance, not per invocation. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** Production wiring: app settings from infra/azure/main.tf, logs to the host (Application Insights). */
export function defaultDeps(): AzureHandlerDeps {
  const log: RuntimeLog = {
    info: (m, e) => console.info(JSON.stringify({ message: m, ...e })),
    warn: (m, e) => console.warn(JSON.stringify({ message: m, ...e })),
    error: (m, e) => console.error(JSON.stringify({ message: m, ...e })),
  };
  return { runtime: once(() => createAzureRuntime({ log })), clock: Date.now };
}

/** One structured log line (JSON: Application Insights keeps it searchable by eventId). */
export function logJson(
  context: InvocationContext,
  level: 'info' | 'warn' | 'error',
  message: string,
  fields: Record<string, unknown>,
): void {
  context[level](
    JSON.stringify({ message, function: context.functionName, invocationId: context.invocationId, ...fields }),
  );
}

/** Logs a reconcile and returns its counts. */
export function report(context: InvocationContext, eventId: string, outcome: TriggerOutcome): Record<string, unknown> {
  if (outcome.status === 'duplicate') {
    logJson(context, 'info', 'event already reconciled', { eventId });
    return { status: 'duplicate' };
  }
  const counts = reconcileCounts(outcome.result);
  const actions = outcome.result.results.map((r) => ({
    action: r.action.action,
    status: r.status,
    reason: r.action.reason,
    ...(r.detail ? { detail: r.detail } : {}),
  }));
  logJson(context, 'info', 'reconciled', {
    eventId,
    ...counts,
    complete: outcome.result.plan.complete,
    ...(outcome.result.plan.complete ? {} : { gaps: outcome.result.observation.gaps }),
    planHash: outcome.result.planHash,
    actions,
    problems: outcome.result.plan.problems,
  });
  return { status: 'reconciled', ...counts };
}

/** Parks input that can never succeed on the dead-letter queue (with the reason) and logs why. */
export function deadLetter(
  context: InvocationContext,
  input: unknown,
  error: Error,
): { status: 'dead-lettered'; reason: string } {
  logJson(context, 'error', 'terminal error: input dead-lettered', { errorName: error.name, error: error.message });
  context.extraOutputs.set(deadLetterQueue, {
    error: { name: error.name, message: error.message },
    function: context.functionName,
    input,
  });
  return { status: 'dead-lettered', reason: error.message };
}
