import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { headerRecord, intakeSlackRequest } from '../../shared/runtime/approval-intake';
import { approvalQueue, logJson, type AzureHandlerDeps } from './support/deps';

/**
 * `app.http` POST /api/slack: Slack's Interactivity and slash-command Request URL. Verifies the signature
 * over the raw body, answers at once (Slack gives up after 3 s; a Consumption cold start eats most of it)
 * and leaves the decision on the approval queue through the output binding, written when the function
 * returns. Records nothing itself: approval-worker decides, reconciles and updates the message.
 */
export function approvalHttpHandler(deps: AzureHandlerDeps) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const rawBody = await request.text();
    const { response, work } = await intakeSlackRequest(
      deps.runtime().approvals,
      { rawBody, headers: headerRecord(request.headers.entries()) },
      new Date(deps.clock()),
      (line) => logJson(context, 'warn', line, {}),
    );
    if (work) context.extraOutputs.set(approvalQueue, work);
    logJson(context, 'info', 'slack request', { status: response.status, queued: work?.kind ?? null });
    return { status: response.status, headers: response.headers, body: response.body };
  };
}
