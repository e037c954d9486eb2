import type { InvocationContext, Timer } from '@azure/functions';
import { approvalsExpiringWithin } from '../../shared/runtime/approvals';
import { logJson, workQueue, type AzureHandlerDeps } from './support/deps';

/**
 * `app.timer`: events are best effort, the sweep repairs what they missed. It only fans out — one
 * work-queue message per governed subscription — and closes expired approvals — so a tenant of thousands of subscriptions never has to
 * fit into one 10-minute invocation; sweep-worker reconciles each message.
 */
export function sweepHandler(deps: AzureHandlerDeps) {
  return async (timer: Timer, context: InvocationContext): Promise<{ status: 'fanned-out'; partitions: number }> => {
    const at = new Date(deps.clock()).toISOString();
    const messages = await deps.runtime().sweepMessages(`sweep:${context.invocationId}`, at);
    context.extraOutputs.set(workQueue, messages);
    await expireApprovals(deps, context);
    // approvalsNearExpiry: the near-expiry alert (infra/azure) queries this field of the sweep's log line.
    const approvalsNearExpiry = await approvalsExpiringWithin(deps.runtime().approvals, new Date(deps.clock())).catch(
      () => 0,
    );
    logJson(context, 'info', 'sweep fanned out', {
      partitions: messages.length,
      pastDue: timer.isPastDue,
      approvalsNearExpiry,
    });
    return { status: 'fanned-out', partitions: messages.length };
  };
}

/** Closes expired approvals once per sweep; a failure is logged, never fails the fan-out (the next sweep retries). */
async function expireApprovals(deps: AzureHandlerDeps, context: InvocationContext): Promise<void> {
  try {
    const closed = await deps.runtime().expireApprovals();
    if (closed > 0) logJson(context, 'info', 'expired approvals closed', { closed });
  } catch (error) {
    logJson(context, 'warn', 'closing expired approvals failed; the next sweep retries', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
