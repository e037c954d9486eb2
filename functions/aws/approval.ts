import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { LambdaAsyncInvoker } from '../../shared/providers/aws/invoke';
import { createAwsRuntime } from '../../shared/runtime/aws';
import { approvalWork, slackIntake, type ApprovalHandlerDeps } from './support/approval';
import { withPowertools } from './support/middleware';
import { defaultDeps } from './support/wiring';

/**
 * Slack's Interactivity and slash-command Request URL (API Gateway HTTP API, POST /slack). The HTTP call only
 * verifies the signature over the raw body, queues the decision by invoking this function again
 * asynchronously, and answers (~100 ms warm, inside Slack's 3 s). That second invocation records the decision
 * first-writer-wins, tells a late clicker who decided, reconciles the peering and updates the message.
 */
export function approvalHandler(deps: ApprovalHandlerDeps) {
  const core = async (
    event: APIGatewayProxyEventV2 | { work: unknown },
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2 | { status: string }> => {
    if ('work' in event) return approvalWork(deps, event.work, context);
    return slackIntake(deps, event, context);
  };
  return withPowertools(core, deps, { correlationPath: 'requestContext.requestId' });
}

const invoker = new LambdaAsyncInvoker();
export const handler = approvalHandler({
  ...defaultDeps('approval', (log) => createAwsRuntime({ log })),
  enqueue: (functionName, work) => invoker.invoke(functionName, { work }),
});
