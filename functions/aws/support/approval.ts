import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { declareRequest, parseDeclareArgs } from '../../../shared/approvals/declare-command';
import { parseSlackWork, processSlackWork, receiveSlackRequest, type SlackWork } from '../../../shared/approvals/slack/deferred';
import { MalformedEventError } from '../../../shared/errors';
import type { HandlerDeps } from './wiring';

/** The approval function's deps: the usual ones, and how it queues work for its own async invocation. */
export interface ApprovalHandlerDeps extends HandlerDeps {
  enqueue: (functionName: string, work: SlackWork) => Promise<void>;
  /** The clock for signature windows and decisions (tests pin it). */
  clock?: () => Date;
}

/** The HTTP half: verify, queue, answer. Never records a decision itself. */
export async function slackIntake(deps: ApprovalHandlerDeps, event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  const wiring = deps.runtime().approvals;
  if (!wiring) return { statusCode: 503, headers: { 'content-type': 'text/plain' }, body: 'approvals are not configured' };
  // API Gateway base64-encodes bodies it does not consider text; Slack signs the bytes it sent.
  const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const { response, work } = await receiveSlackRequest({ rawBody, headers: event.headers ?? {} }, {
    signingSecret: (await wiring.signingSecret()) ?? '', now: deps.clock?.() ?? new Date(),
    service: { pending: async () => (await wiring.service()).pending() },
    log: (line) => deps.logger.warn(line),
  });
  if (response.status === 401) deps.metrics.addMetric('SlackRequestsRefused', MetricUnit.Count, 1);
  if (work) await deps.enqueue(context.functionName, work);
  return { statusCode: response.status, headers: response.headers, body: response.body };
}

/** The async half: decide, tell, reconcile. A malformed work item is logged and dropped (it came from us). */
export async function approvalWork(deps: ApprovalHandlerDeps, input: unknown, context: Context): Promise<{ status: string }> {
  const runtime = deps.runtime();
  const wiring = runtime.approvals;
  if (!wiring) return { status: 'not-configured' };
  let work: SlackWork;
  try {
    work = parseSlackWork(input);
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    await runtime.deadLetter(input, error);
    return { status: 'dead-lettered' };
  }
  const outcome = await processSlackWork(work, {
    service: await wiring.service(), notifier: await wiring.notifier(), now: deps.clock?.() ?? new Date(),
    reconcile: (record) => runtime.reconcileApproval(record, context),
    register: async (args, user, now) => {
      try {
        return (await declareRequest(wiring.declared, parseDeclareArgs(args), { requestedBy: user.id, now })).text;
      } catch (error) {
        if (error instanceof RangeError) return error.message;
        throw error;
      }
    },
  });
  deps.logger.info('approval work done', { kind: work.kind, ok: outcome.ok, ...(outcome.ok ? {} : { reason: outcome.reason }) });
  return { status: outcome.ok ? 'done' : 'refused' };
}
