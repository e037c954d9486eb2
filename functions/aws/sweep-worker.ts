import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { RetryableError } from '../../shared/errors';
import { parseWorkMessage, type WorkMessage } from '../../shared/runtime/work';
import { withPowertools } from './support/middleware';
import { createAwsRuntime } from '../../shared/runtime/aws';
import { deadLetterTerminal, defaultDeps, report, type HandlerDeps } from './support/wiring';

/**
 * Reconciles sweep / poll work items from the work queue, one account and region each. A retryable
 * failure reports the message in `batchItemFailures` (SQS redelivers it, then its redrive policy parks it
 * in the DLQ); a malformed message is dead-lettered at once and acknowledged. Idempotent per work item.
 */
export function sweepWorkerHandler(deps: HandlerDeps) {
  const reconcile = async (message: WorkMessage, context: Context) => {
    const { result, retry, published } = await deps.runtime().reconcileTrigger(message.trigger, context);
    const counts = report(deps, result, published);
    if (retry) throw new RetryableError(`retryable failures reconciling ${message.trigger.eventId}`);
    return counts;
  };
  const core = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'trigger.eventId',
      expiresAfterSeconds: deps.idempotencySeconds ?? 3600,
    });
    config.registerLambdaContext(context);
    const once = makeIdempotent(reconcile, { persistenceStore: deps.persistenceStore, config });
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records ?? []) {
      try {
        await deadLetterTerminal(deps, record, () => processRecord(record));
      } catch (error) {
        deps.logger.warn('work item will be retried', {
          messageId: record.messageId,
          error: error instanceof Error ? error.message : String(error),
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
    async function processRecord(record: SQSRecord) {
      return once(parseWorkMessage(record.body, record.messageId), context);
    }
  };
  return withPowertools(core, deps, {});
}

export const handler = sweepWorkerHandler(defaultDeps('sweep-worker', (log) => createAwsRuntime({ log })));
