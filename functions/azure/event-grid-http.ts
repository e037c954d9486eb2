import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { MalformedEventError, RetryableError, TerminalError } from '../../shared/errors';
import { normalizeAzureEvents, subscriptionValidationCode } from '../../shared/events/azure';
import { logJson, type AzureHandlerDeps } from './support/deps';
import { reconcileOutcomes } from './support/reconcile-event';

/**
 * `app.http` webhook for Event Grid batches (up to 5,000 events per POST). Answers the validation
 * handshakes (Event Grid schema: echo `validationCode`; CloudEvents: OPTIONS with WebHook-Request-Origin).
 * 200 = done; 400 = malformed, which Event Grid dead-letters at once without retrying; 503 = retryable,
 * Event Grid redelivers the batch and finished event ids are skipped.
 */
export function eventGridHttpHandler(deps: AzureHandlerDeps) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const startedAt = deps.clock();
    if (request.method === 'OPTIONS') {
      const origin = request.headers.get('webhook-request-origin');
      return { status: 200, headers: { 'WebHook-Allowed-Origin': origin ?? '*', 'WebHook-Allowed-Rate': '*' } };
    }
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return badRequest(context, new MalformedEventError('the Event Grid delivery is not JSON'));
    }
    const code = subscriptionValidationCode(body);
    if (code) {
      logJson(context, 'info', 'Event Grid subscription validated', {});
      return { status: 200, jsonBody: { validationResponse: code } };
    }
    try {
      const outcomes = normalizeAzureEvents(body, { identities: deps.runtime().identities });
      return { status: 200, jsonBody: { results: await reconcileOutcomes(outcomes, context, deps, startedAt) } };
    } catch (error) {
      if (error instanceof TerminalError) return badRequest(context, error);
      if (!(error instanceof RetryableError)) throw error;
      logJson(context, 'warn', 'delivery will be retried', { error: error.message });
      return { status: 503, headers: { 'Retry-After': '30' }, jsonBody: { error: error.message } };
    }
  };
}

function badRequest(context: InvocationContext, error: TerminalError): HttpResponseInit {
  logJson(context, 'error', 'malformed delivery: Event Grid dead-letters it', {
    errorName: error.name,
    error: error.message,
  });
  return { status: 400, jsonBody: { error: error.message } };
}
