import type { CloudEvent } from '@google-cloud/functions-framework';
import { runSlackWork, type SlackWorkStatus } from '../../shared/runtime/approval-intake';
import type { RuntimeSource } from './support';

/** The body of a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent. */
interface MessagePublished {
  message?: { data?: string; messageId?: string };
}

/** What the worker came to: the decision's status, a redelivery skipped, or a dead letter. */
export type ApprovalWorkOutcome =
  Exclude<SlackWorkStatus, { status: 'malformed' }> | { status: 'duplicate' | 'dead-lettered'; reason: string };

/**
 * Pub/Sub (Eventarc) on the approval topic: records a Slack decision first-writer-wins (a late clicker is
 * told who decided), reconciles the decided peering and updates the message. A message peerkeeper did not
 * write is dead-lettered and acknowledged. A retryable reconcile failure is not rethrown: the decision is
 * recorded by then, so a redelivery would only be told "already decided"; the next sweep carries it out.
 * Idempotent on the CloudEvent id, so a redelivered click does not answer the clicker twice.
 */
export function approvalWorkerHandler(
  runtime: RuntimeSource,
): (event: CloudEvent<unknown>) => Promise<ApprovalWorkOutcome> {
  return async (event) => {
    const rt = runtime();
    const startedAt = rt.now().getTime();
    const id = typeof event?.id === 'string' ? event.id : undefined;
    if (id && (await rt.processed.has(id))) return { status: 'duplicate', reason: `event ${id} was handled before` };
    let retry = false;
    const outcome = await runSlackWork(rt.approvals, decode(event), {
      now: new Date(startedAt),
      reconcile: async (record) => {
        const result = await rt.reconcileApproval(record, startedAt);
        retry = result.retry;
        return result.followUp;
      },
    });
    if (outcome.status === 'malformed') {
      await rt.deadLetter(event, outcome.error);
      return { status: 'dead-lettered', reason: outcome.error.message };
    }
    if (id) await rt.processed.add(id);
    if (retry)
      rt.log.warn('approval work done', {
        ...outcome,
        note: 'retryable failures; the next sweep retries the decided peering',
      });
    else rt.log.info('approval work done', { ...outcome });
    return outcome;
  };
}

/** The queued work: the message data, base64 JSON. No data or no JSON is undefined, which runSlackWork calls malformed. */
function decode(event: CloudEvent<unknown> | undefined): unknown {
  const data = (event?.data ?? {}) as MessagePublished;
  if (typeof data.message?.data !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(data.message.data, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
