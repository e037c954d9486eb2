import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { RetryableError } from '../../errors';

/** The permission the approval function needs on itself (serverless.yml grants it on that function only). */
export const SELF_INVOKE_PERMISSIONS = ['lambda:InvokeFunction'] as const;

/**
 * Hands work to a later invocation of a function: `InvocationType: Event` returns as soon as Lambda has queued
 * the event (202, typically 20–50 ms), so the approval endpoint answers Slack well inside its 3 s while the
 * queued invocation does the slow part (store writes, chat.update, the reconcile). Lambda retries a failed
 * async invocation twice, then its on-failure destination keeps the event.
 */
export class LambdaAsyncInvoker {
  constructor(private readonly client: LambdaClient = new LambdaClient({ maxAttempts: 3 })) {}

  async invoke(functionName: string, payload: unknown): Promise<void> {
    const out = await this.client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    if (out.StatusCode !== 202)
      throw new RetryableError(`async invoke of ${functionName} answered ${out.StatusCode ?? 'nothing'}`);
  }
}
