import type { CloudEvent } from '@google-cloud/functions-framework';
import { MalformedEventError, RetryableError } from '../../shared/errors';
import { parseWorkMessage } from '../../shared/runtime/work';
import { deadLetterTerminal, idempotent, report, type HandlerOutcome, type RuntimeSource } from './support';

/** The body of a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent. */
interface MessagePublished {
  message?: { data?: string; messageId?: string };
  subscription?: string;
}

/**
 * Reconciles one sweep work item (one project) from the work topic. A retryable failure is thrown, so
 * Eventarc redelivers with backoff (up to the message's 24 h retention; the next sweep re-derives the work);
 * a malformed message is dead-lettered at once and acknowledged. Idempotent on the CloudEvent id (the Pub/Sub message id).
 */
export function sweepWorkerHandler(runtime: RuntimeSource): (event: CloudEvent<unknown>) => Promise<HandlerOutcome> {
  return async (event) => {
    const startedAt = Date.now();
    const rt = runtime();
    const id = typeof event?.id === 'string' ? event.id : undefined;
    return idempotent(rt, id, () =>
      deadLetterTerminal(rt, event, async () => {
        const data = (event?.data ?? {}) as MessagePublished;
        if (typeof data.message?.data !== 'string')
          throw new MalformedEventError(`Pub/Sub event ${id ?? '(no id)'} carries no message data`);
        const work = parseWorkMessage(
          Buffer.from(data.message.data, 'base64').toString('utf8'),
          data.message.messageId ?? id ?? '(no id)',
        );
        const { result, retry } = await rt.reconcileTrigger(work.trigger, startedAt);
        const done = report(rt, result);
        if (retry) throw new RetryableError(`retryable failures reconciling ${work.trigger.eventId}`);
        return done;
      }),
    );
  };
}
