import { z } from 'zod';
import { MalformedEventError } from '../errors';
import { TriggerSchema } from '../model';
import type { ReconcileResult } from '../reconcile';

/** One unit of sweep / poll work on the work queue: a trigger naming an account and region. */
export const WorkMessageSchema = z.object({ trigger: TriggerSchema });
export type WorkMessage = z.infer<typeof WorkMessageSchema>;

/** Reads a work-queue message body; a body peerkeeper did not write is a terminal error (dead-lettered, never retried). */
export function parseWorkMessage(body: string, messageId: string): WorkMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedEventError(`work message ${messageId} is not JSON; the sweep writes { trigger } bodies`);
  }
  const parsed = WorkMessageSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new MalformedEventError(
      `work message ${messageId} is not a sweep work item (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'})`,
    );
  }
  return parsed.data;
}

/** True when an action failed with a retryable error: redelivering the trigger may succeed (reconcile is level-triggered). */
export function needsRetry(result: ReconcileResult): boolean {
  return result.results.some((r) => r.status === 'failed' && r.error?.retryable === true);
}

/** Counts for logs and metrics. */
export function reconcileCounts(
  result: ReconcileResult,
): Record<'actions' | 'writes' | 'failed' | 'deferred' | 'held' | 'unreadablePartitions', number> {
  return {
    actions: result.plan.actions.length,
    writes: result.writes,
    failed: result.results.filter((r) => r.status === 'failed').length,
    deferred: result.results.filter((r) => r.status === 'deferred').length,
    // Plans made before the planner listed held actions and partitions have neither.
    held: (result.plan.held ?? []).length,
    unreadablePartitions: (result.plan.partitions ?? []).filter((p) => !p.complete).length,
  };
}
