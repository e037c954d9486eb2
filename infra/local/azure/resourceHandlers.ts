import { ArmError } from './armError';
import { type Answer, type Exchange, type HandlerContext, page, stringField, tagsField } from './exchange';
import { resourceGroupBody, subscriptionBody } from './serialize';

export function listSubscriptions(ex: Exchange, ctx: HandlerContext): Answer {
  return page([...ctx.state.subscriptions.values()].map(subscriptionBody), ex, ctx);
}

export function getSubscription(ex: Exchange, ctx: HandlerContext): Answer {
  return { status: 200, body: subscriptionBody(ctx.state.subscription(ex.params.s!)) };
}

export function getResourceGroup(ex: Exchange, ctx: HandlerContext): Answer {
  return { status: 200, body: resourceGroupBody(ctx.state.resourceGroup(ex.params.s!, ex.params.rg!)) };
}

export function putResourceGroup(ex: Exchange, ctx: HandlerContext): Answer {
  ctx.state.subscription(ex.params.s!);
  const location = stringField(ex.body, 'location');
  if (!location) throw new ArmError(400, 'InvalidRequestFormat', 'Cannot parse the request: location is required.');
  const existed = ctx.state.resourceGroups.has(`${ex.params.s!}/${ex.params.rg!}`.toLowerCase());
  const rg = ctx.state.ensureResourceGroup(ex.params.s!, ex.params.rg!, location, tagsField(ex.body) ?? {});
  return {
    status: existed ? 200 : 201,
    body: resourceGroupBody(rg),
    change: {
      kind: 'write',
      resourceUri: resourceGroupBody(rg).id as string,
      operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write',
      subscriptionId: rg.subscription,
    },
  };
}

/**
 * `Azure-AsyncOperation` polling: `{"status":"InProgress"}` until done, then `Succeeded`, or
 * `{"status":"Failed","error":{"code","message"}}` for a write ARM accepted and then refused.
 */
export function getOperation(ex: Exchange, ctx: HandlerContext): Answer {
  const poll = ctx.state.pollOperation(ex.params.id!);
  if (!poll) throw new ArmError(404, 'NotFound', `Operation ${ex.params.id!} not found.`);
  // ARM repeats Retry-After on every InProgress answer; clients pace their polls by it.
  if (poll.status === 'InProgress')
    return {
      status: 200,
      body: { status: poll.status },
      headers: { 'retry-after': String(ctx.faults.lroRetryAfterSeconds) },
    };
  return { status: 200, body: poll.error ? { status: poll.status, error: poll.error } : { status: poll.status } };
}

/** `Location` polling: 202 while running, 204 when done; a failed operation answers with its error (400). */
export function getOperationResult(ex: Exchange, ctx: HandlerContext): Answer {
  const poll = ctx.state.pollOperation(ex.params.id!);
  if (!poll) throw new ArmError(404, 'NotFound', `Operation ${ex.params.id!} not found.`);
  if (poll.status === 'Failed') throw new ArmError(400, poll.error!.code, poll.error!.message);
  return poll.status === 'Succeeded'
    ? { status: 204 }
    : {
        status: 202,
        headers: {
          location: `${ex.baseUrl}${ex.path}?${ex.query.toString()}`,
          'retry-after': String(ctx.faults.lroRetryAfterSeconds),
        },
      };
}
