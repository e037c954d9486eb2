import type { InvocationContext, Timer } from '@azure/functions';
import { logJson, workQueue, type AzureHandlerDeps } from './support/deps';

/**
 * `app.timer`: events are best effort, the sweep repairs what they missed. It only fans out — one
 * work-queue message per governed subscription — so a tenant of thousands of subscriptions never has to
 * fit into one 10-minute invocation; sweep-worker reconciles each message.
 */
export function sweepHandler(deps: AzureHandlerDeps) {
  return async (timer: Timer, context: InvocationContext): Promise<{ status: 'fanned-out'; partitions: number }> => {
    const at = new Date(deps.clock()).toISOString();
    const messages = await deps.runtime().sweepMessages(`sweep:${context.invocationId}`, at);
    context.extraOutputs.set(workQueue, messages);
    logJson(context, 'info', 'sweep fanned out', { partitions: messages.length, pastDue: timer.isPastDue });
    return { status: 'fanned-out', partitions: messages.length };
  };
}
