import type { InvocationContext } from '@azure/functions';
import { RetryableError } from '../../../shared/errors';
import type { NormalizeResult } from '../../../shared/events/result';
import { logJson, report, type AzureHandlerDeps } from './deps';

/**
 * Reconciles the work items of one delivery: ignored events are logged; events naming the same scope are
 * reconciled once (a batch often carries the write and its LRO follow-ups). Throws RetryableError when
 * any reconcile had retryable failures, so the delivery is retried; finished event ids are skipped then.
 */
export async function reconcileOutcomes(
  outcomes: readonly NormalizeResult[],
  context: InvocationContext,
  deps: AzureHandlerDeps,
  startedAt: number,
): Promise<Record<string, unknown>[]> {
  const runtime = deps.runtime();
  const done = new Map<string, Record<string, unknown>>();
  const reports: Record<string, unknown>[] = [];
  let retry = false;
  for (const outcome of outcomes) {
    if (outcome.kind === 'ignore') {
      logJson(context, 'info', 'event ignored', { eventId: outcome.eventId, reason: outcome.reason });
      reports.push({ status: 'ignored', reason: outcome.reason });
      continue;
    }
    const { trigger } = outcome;
    const key = JSON.stringify(trigger.scope);
    const earlier = done.get(key);
    if (earlier) {
      logJson(context, 'info', 'scope already reconciled in this delivery', {
        eventId: trigger.eventId,
        scope: trigger.scope,
      });
      reports.push(earlier);
      continue;
    }
    logJson(context, 'info', 'reconciling', {
      eventId: trigger.eventId,
      scope: trigger.scope,
      source: trigger.source,
      actor: trigger.actor,
    });
    const result = await runtime.reconcileTrigger(trigger, startedAt);
    if (result.status === 'reconciled' && result.retry) retry = true;
    const counts = report(context, trigger.eventId, result);
    done.set(key, counts);
    reports.push(counts);
  }
  if (retry) throw new RetryableError('retryable failures while reconciling; the delivery will be retried');
  return reports;
}
