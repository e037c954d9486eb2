import type { InvocationContext } from '@azure/functions';
import { TerminalError } from '../../shared/errors';
import { normalizeAzureEvent } from '../../shared/events/azure';
import { deadLetter, type AzureHandlerDeps } from './support/deps';
import { reconcileOutcomes } from './support/reconcile-event';

/**
 * `app.eventGrid`: one Event Grid event per invocation (Event Grid or CloudEvents schema) from the
 * subscription system topics: normalize → reconcile the scope → report. Own-identity and failed
 * operations are ignored; malformed events go to the dead-letter queue; a retryable failure is thrown, so
 * Event Grid retries (then dead-letters to the storage container). Idempotent on the event id.
 */
export function eventGridHandler(deps: AzureHandlerDeps) {
  return async (event: unknown, context: InvocationContext): Promise<Record<string, unknown>> => {
    const startedAt = deps.clock();
    try {
      const outcome = normalizeAzureEvent(event, { identities: deps.runtime().identities });
      const [result] = await reconcileOutcomes([outcome], context, deps, startedAt);
      return result ?? { status: 'ignored' };
    } catch (error) {
      if (error instanceof TerminalError) return deadLetter(context, event, error);
      throw error;
    }
  };
}
