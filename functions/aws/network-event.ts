import { parse } from '@aws-lambda-powertools/parser';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { MalformedEventError, RetryableError } from '../../shared/errors';
import { normalizeAwsEvent } from '../../shared/events/aws';
import { withPowertools } from './support/middleware';
import { createAwsRuntime } from '../../shared/runtime/aws';
import { deadLetterTerminal, defaultDeps, report, type HandlerDeps } from './support/wiring';

/**
 * EC2 CloudTrail calls, account vending and `Sweep Requested` from the central bus: parse the envelope →
 * normalize → reconcile the scope → report. Own-identity and failed calls are ignored (logged); malformed
 * events are dead-lettered; a retryable failure is thrown so Lambda's async retries (then the DLQ) take over.
 */
export function networkEventHandler(deps: HandlerDeps) {
  const core = async (event: unknown, context: Context) =>
    deadLetterTerminal(deps, event, async () => {
      const envelope = parse(event, undefined, EventBridgeSchema, true);
      if (!envelope.success)
        throw new MalformedEventError(`not an EventBridge event: ${envelope.error.message.slice(0, 300)}`);
      const runtime = deps.runtime();
      const outcome = normalizeAwsEvent(event, { identities: runtime.identities });
      if (outcome.kind === 'ignore') {
        deps.metrics.addMetric('EventsIgnored', MetricUnit.Count, 1);
        deps.logger.info('event ignored', { reason: outcome.reason });
        return { status: 'ignored' as const, reason: outcome.reason };
      }
      deps.logger.appendKeys({ scope: outcome.trigger.scope, source: outcome.trigger.source });
      const { result, retry, published } = await runtime.reconcileTrigger(outcome.trigger, context);
      const counts = report(deps, result, published);
      if (retry) throw new RetryableError(`retryable failures reconciling after event ${outcome.trigger.eventId}`);
      return { status: 'reconciled' as const, ...counts };
    });
  return withPowertools(core, deps, { correlationPath: 'id', idempotencyPath: 'id' });
}

export const handler = networkEventHandler(defaultDeps('network-event', (log) => createAwsRuntime({ log })));
