import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse } from '@aws-lambda-powertools/parser';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import type { Context } from 'aws-lambda';
import { MalformedEventError } from '../../../shared/errors';
import { NEAR_EXPIRY_MS } from '../../../shared/runtime/approvals';
import { withPowertools } from './middleware';
import { deadLetterTerminal, type HandlerDeps } from './wiring';

/**
 * A scheduled handler that puts one work message per governed account and region on the work queue
 * (`sweep`: full reconcile; `poll`: the same path, for pending requests no CloudTrail event announces).
 * Idempotent on the schedule event's id, so a redelivered tick does not double the work.
 */
export function fanOutHandler(kind: 'sweep' | 'poll', deps: HandlerDeps) {
  const core = async (event: unknown, _context: Context) =>
    deadLetterTerminal(deps, event, async () => {
      const envelope = parse(event, undefined, EventBridgeSchema, true);
      if (!envelope.success)
        throw new MalformedEventError(`the ${kind} schedule sent something that is not an EventBridge event`);
      const sent = await deps.runtime().fanOut(kind, envelope.data.id, envelope.data.time);
      if (kind === 'sweep') await expireApprovals(deps);
      if (kind === 'sweep')
        deps.metrics.addMetric(
          'ApprovalsNearExpiry',
          MetricUnit.Count,
          await deps
            .runtime()
            .approvalsExpiringWithin(NEAR_EXPIRY_MS)
            .catch(() => 0),
        );
      deps.metrics.addMetric(kind === 'sweep' ? 'SweepPartitions' : 'PollPartitions', MetricUnit.Count, sent);
      deps.logger.info(`${kind} fanned out`, { partitions: sent });
      return { status: 'fanned-out' as const, partitions: sent };
    });
  return withPowertools(core, deps, { correlationPath: 'id', idempotencyPath: 'id' });
}

/** Closes expired approvals once per sweep; a failure is logged, never fails the sweep (the next one retries). */
async function expireApprovals(deps: HandlerDeps): Promise<void> {
  try {
    const closed = await deps.runtime().expireApprovals();
    if (closed > 0) deps.logger.info('expired approvals closed', { closed });
  } catch (error) {
    deps.logger.warn('closing expired approvals failed; the next sweep retries', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
