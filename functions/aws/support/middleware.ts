import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { idempotencyConfig, type HandlerDeps } from './wiring';

/**
 * middy with Powertools: logger (correlation id from `correlationPath`, the event id), metrics (cold start,
 * flushed per invocation) and, when `idempotencyPath` is given, idempotency on DynamoDB keyed on it.
 */
export function withPowertools<E, R>(
  core: (event: E, context: Context) => Promise<R>,
  deps: HandlerDeps,
  opts: { correlationPath?: string; idempotencyPath?: string },
) {
  const handler = middy(core)
    .use(
      injectLambdaContext(deps.logger, {
        resetKeys: true,
        ...(opts.correlationPath ? { correlationIdPath: opts.correlationPath } : {}),
      }),
    )
    .use(logMetrics(deps.metrics, { captureColdStartMetric: true }));
  return opts.idempotencyPath
    ? handler.use(
        makeHandlerIdempotent({
          persistenceStore: deps.persistenceStore,
          config: idempotencyConfig(deps, opts.idempotencyPath),
        }),
      )
    : handler;
}
