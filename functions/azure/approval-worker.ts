import type { InvocationContext } from '@azure/functions';
import { runSlackWork } from '../../shared/runtime/approval-intake';
import { deadLetter, logJson, type AzureHandlerDeps } from './support/deps';

/**
 * `app.storageQueue` on the approval queue: records a Slack decision first-writer-wins (a late clicker is
 * told who decided), reconciles the decided peering and updates the message. A message peerkeeper did not
 * write is dead-lettered. A retryable reconcile failure is not rethrown: the decision is recorded by then, so
 * a redelivery would only be told "already decided"; the next sweep carries the recorded decision out.
 */
export function approvalWorkerHandler(deps: AzureHandlerDeps) {
  return async (message: unknown, context: InvocationContext): Promise<Record<string, unknown>> => {
    const startedAt = deps.clock();
    const runtime = deps.runtime();
    let retry = false;
    const outcome = await runSlackWork(runtime.approvals, message, {
      now: new Date(startedAt),
      reconcile: async (record) => {
        const result = await runtime.reconcileApproval(record, startedAt);
        retry = result.retry;
        return result.followUp;
      },
    });
    if (outcome.status === 'malformed') return deadLetter(context, message, outcome.error);
    logJson(context, retry ? 'warn' : 'info', 'approval work done', {
      ...outcome,
      ...(retry ? { note: 'retryable failures; the next sweep retries the decided peering' } : {}),
    });
    return { ...outcome };
  };
}
