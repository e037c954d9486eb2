import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { search } from '@aws-lambda-powertools/jmespath';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { TerminalError } from '../../../shared/errors';
import type { ReconcileResult } from '../../../shared/reconcile';
import type { AwsRuntime, RuntimeLog } from '../../../shared/runtime/aws-runtime';
import { reconcileCounts } from '../../../shared/runtime/work';

/** What every AWS handler is built from; tests pass their own (fake providers, dynalite-backed idempotency). */
export interface HandlerDeps {
  /** Built on first use and kept for the container's life (one cold start = one policy load). */
  runtime: () => AwsRuntime;
  logger: Logger;
  metrics: Metrics;
  persistenceStore: BasePersistenceLayer;
  /** Idempotency records live this long: EventBridge and SQS redeliver within minutes, 1 h is ample. */
  idempotencySeconds?: number;
}

/** Memoizes a factory: the runtime is built once per container, not per invocation. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/**
 * Production wiring: environment from serverless.yml, Powertools with the `peerkeeper` namespace. Each handler
 * passes its composition root (reconciling or fan-out), so its bundle holds only the clients it uses. Each gets
 * its own idempotency layer: Powertools configures a layer once, with the first handler's key path.
 */
export function defaultDeps(service: string, build: (log: RuntimeLog) => AwsRuntime): HandlerDeps {
  const { logger, metrics } = powertools(service);
  return {
    runtime: once(() => build(runtimeLog(logger))),
    logger,
    metrics,
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: process.env.PEERKEEPER_IDEMPOTENCY_TABLE ?? 'peerkeeper-idempotency',
    }),
  };
}

/**
 * A handler's Logger and Metrics. Metrics reports its own diagnostics (an invocation that recorded no metric, a bad
 * dimension) through the Logger rather than a bare console: they become structured log lines with the correlation
 * id, at the Logger's level (POWERTOOLS_LOG_LEVEL in Lambda; tests pass SILENT).
 */
export function powertools(
  service: string,
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT',
): { logger: Logger; metrics: Metrics } {
  // correlationIdSearchFn: the JMESPath search that resolves each handler's correlationIdPath (the event id).
  const logger = new Logger({
    serviceName: 'peerkeeper',
    persistentKeys: { function: service },
    ...(logLevel ? { logLevel } : {}),
    correlationIdSearchFn: (expression: string, data: unknown) =>
      search(expression, data as Parameters<typeof search>[1]),
  });
  return {
    logger,
    metrics: new Metrics({
      namespace: 'peerkeeper',
      serviceName: 'peerkeeper',
      defaultDimensions: { function: service },
      logger,
    }),
  };
}

/** Idempotency keyed on an event id at `path` (JMESPath). An input without one runs un-keyed, so the handler can dead-letter it. */
export function idempotencyConfig(deps: HandlerDeps, path: string): IdempotencyConfig {
  return new IdempotencyConfig({
    eventKeyJmesPath: path,
    expiresAfterSeconds: deps.idempotencySeconds ?? 3600,
    throwOnNoIdempotencyKey: false,
  });
}

/** The runtime's logging port over Powertools' Logger (extras are plain JSON). */
export function runtimeLog(logger: Logger): RuntimeLog {
  const extra = (e?: Record<string, unknown>) => (e ?? {}) as LogAttributes;
  return {
    info: (m, e) => logger.info(m, extra(e)),
    warn: (m, e) => logger.warn(m, extra(e)),
    error: (m, e) => logger.error(m, extra(e)),
  };
}

/** Logs and counts one reconcile. */
export function report(deps: HandlerDeps, result: ReconcileResult, published: number): Record<string, number> {
  const counts = reconcileCounts(result);
  deps.metrics.addMetric('Actions', MetricUnit.Count, counts.actions);
  deps.metrics.addMetric('Writes', MetricUnit.Count, counts.writes);
  deps.metrics.addMetric('FailedActions', MetricUnit.Count, counts.failed);
  // The alarms in serverless.yml watch these two: held work and partitions unreadable sweep after sweep.
  deps.metrics.addMetric('HeldActions', MetricUnit.Count, counts.held);
  deps.metrics.addMetric('UnreadablePartitions', MetricUnit.Count, counts.unreadablePartitions);
  deps.metrics.addMetric('OutcomesPublished', MetricUnit.Count, published);
  deps.logger.info('reconciled', { ...counts, complete: result.plan.complete, planHash: result.planHash });
  return { ...counts, published };
}

/**
 * Runs `work`, turning a terminal error (malformed input, denied by policy) into a dead letter with the reason:
 * such input is parked for a human, never retried and never crashes the host. Other errors propagate (retry).
 */
export async function deadLetterTerminal<T>(
  deps: HandlerDeps,
  input: unknown,
  work: () => Promise<T>,
): Promise<T | { status: 'dead-lettered'; reason: string }> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof TerminalError)) throw error;
    deps.metrics.addMetric('DeadLettered', MetricUnit.Count, 1);
    await deps.runtime().deadLetter(input, error);
    return { status: 'dead-lettered', reason: error.message };
  }
}
