import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { SlackWork } from '../../../shared/approvals/slack/deferred';
import { intakeSlackRequest, runSlackWork } from '../../../shared/runtime/approval-intake';
import type { HandlerDeps } from './wiring';

/** The approval function's deps: the usual ones, and how it queues work for its own async invocation. */
export interface ApprovalHandlerDeps extends HandlerDeps {
  enqueue: (functionName: string, work: SlackWork) => Promise<void>;
  /** The clock for signature windows and decisions (tests pin it). */
  clock?: () => Date;
}

/** The HTTP half: verify, queue, answer. Never records a decision itself. */
export async function slackIntake(
  deps: ApprovalHandlerDeps,
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  // API Gateway base64-encodes bodies it does not consider text; Slack signs the bytes it sent.
  const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const { response, work } = await intakeSlackRequest(
    deps.runtime().approvals,
    { rawBody, headers: event.headers ?? {} },
    deps.clock?.() ?? new Date(),
    (line) => deps.logger.warn(line),
  );
  // Every request is counted, so a refused share can be alarmed on and no invocation publishes nothing.
  deps.metrics.addMetric('SlackRequests', MetricUnit.Count, 1);
  if (response.status === 401) deps.metrics.addMetric('SlackRequestsRefused', MetricUnit.Count, 1);
  if (work) await deps.enqueue(context.functionName, work);
  return { statusCode: response.status, headers: response.headers, body: response.body };
}

/** The async half: decide, tell, reconcile. A malformed work item is dead-lettered (it did not come from us). */
export async function approvalWork(
  deps: ApprovalHandlerDeps,
  input: unknown,
  context: Context,
): Promise<{ status: string }> {
  const runtime = deps.runtime();
  const outcome = await runSlackWork(runtime.approvals, input, {
    now: deps.clock?.() ?? new Date(),
    reconcile: (record) => runtime.reconcileApproval(record, context),
  });
  deps.metrics.addMetric(
    outcome.status === 'malformed' ? 'ApprovalWorkMalformed' : 'ApprovalWork',
    MetricUnit.Count,
    1,
  );
  if (outcome.status === 'malformed') {
    await runtime.deadLetter(input, outcome.error);
    return { status: 'dead-lettered' };
  }
  if (outcome.status !== 'not-configured')
    deps.logger.info('approval work done', {
      kind: outcome.kind,
      ok: outcome.status === 'done',
      ...(outcome.reason ? { reason: outcome.reason } : {}),
    });
  return { status: outcome.status };
}
