import type { CloudEvent } from '@google-cloud/functions-framework';
import { RetryableError } from '../../shared/errors';
import { normalizeGcpEvent } from '../../shared/events/gcp';
import { deadLetterTerminal, idempotent, report, type HandlerOutcome, type RuntimeSource } from './support';

/**
 * Eventarc audit-log CloudEvents (Compute networks / routes / subnetworks, Resource Manager projects),
 * structured or binary (the framework hands both over as one CloudEvent): normalize → reconcile the scope →
 * report. Own and unfinished calls are ignored; malformed events are dead-lettered and acknowledged; a
 * retryable failure is thrown, so Eventarc redelivers. Idempotent on the CloudEvent id.
 */
export function auditEventHandler(runtime: RuntimeSource): (event: CloudEvent<unknown>) => Promise<HandlerOutcome> {
  return async (event) => {
    const startedAt = Date.now();
    const rt = runtime();
    const id = typeof event?.id === 'string' ? event.id : undefined;
    return idempotent(rt, id, () =>
      deadLetterTerminal(rt, event, async () => {
        const outcome = normalizeGcpEvent({ ...event }, { identities: rt.identities });
        if (outcome.kind === 'ignore') {
          rt.log.info('event ignored', { reason: outcome.reason, eventId: id });
          return { status: 'ignored', reason: outcome.reason };
        }
        const { result, retry } = await rt.reconcileTrigger(outcome.trigger, startedAt);
        const done = report(rt, result);
        if (retry) throw new RetryableError(`retryable failures reconciling after event ${outcome.trigger.eventId}`);
        return done;
      }),
    );
  };
}
