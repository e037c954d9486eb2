import type { InvocationContext } from '@azure/functions';
import { RetryableError, TerminalError } from '../../shared/errors';
import { parseWorkMessage } from '../../shared/runtime/work';
import { deadLetter, logJson, report, type AzureHandlerDeps } from './support/deps';

/**
 * `app.storageQueue` on the work queue: reconciles one subscription per message. A retryable failure is
 * thrown, so the queue redelivers it (after 5 dequeues the host moves it to `peerkeeper-work-poison`);
 * a message peerkeeper did not write is dead-lettered at once. Idempotent on the work item's event id.
 */
export function sweepWorkerHandler(deps: AzureHandlerDeps) {
  return async (message: unknown, context: InvocationContext): Promise<Record<string, unknown>> => {
    const startedAt = deps.clock();
    const messageId = String(context.triggerMetadata?.id ?? context.invocationId);
    try {
      // The host hands over JSON messages already parsed; anything else arrives as a string.
      const work = parseWorkMessage(typeof message === 'string' ? message : JSON.stringify(message), messageId);
      logJson(context, 'info', 'reconciling work item', {
        eventId: work.trigger.eventId,
        scope: work.trigger.scope,
        messageId,
      });
      const outcome = await deps.runtime().reconcileTrigger(work.trigger, startedAt);
      const counts = report(context, work.trigger.eventId, outcome);
      if (outcome.status === 'reconciled' && outcome.retry)
        throw new RetryableError(`retryable failures reconciling ${work.trigger.eventId}`);
      return counts;
    } catch (error) {
      if (error instanceof TerminalError) return deadLetter(context, message, error);
      throw error;
    }
  };
}
