import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { RetryableError } from '../../errors';

/** SendMessageBatch takes at most 10 messages (SQS quota). */
export const SQS_BATCH = 10;
/** Batches in flight at once: 1,000 accounts × 2 regions = 200 batches finish in ~20 round trips. */
const CONCURRENCY = 10;

/** One message to put on a queue; `id` must be unique within its batch (SQS rule) and is used as the dedup key in logs. */
export interface QueueMessage {
  id: string;
  body: unknown;
}

/** The one SDK call the sender makes, so tests can count batches without a network. */
export type SendBatch = (
  queueUrl: string,
  entries: { Id: string; MessageBody: string }[],
) => Promise<{ Failed?: { Id?: string; Code?: string; Message?: string }[] }>;

/** Puts messages on an SQS queue (the sweep fan-out) in batches of 10, 10 batches at a time. */
export class SqsSender {
  private readonly sendBatch: SendBatch;
  private readonly sendOne: (queueUrl: string, body: string) => Promise<unknown>;

  constructor(options: { client?: SQSClient; sendBatch?: SendBatch } = {}) {
    const client = options.client ?? new SQSClient({ maxAttempts: 3, retryMode: 'standard' });
    this.sendBatch =
      options.sendBatch ?? ((QueueUrl, Entries) => client.send(new SendMessageBatchCommand({ QueueUrl, Entries })));
    this.sendOne = (QueueUrl, MessageBody) => client.send(new SendMessageCommand({ QueueUrl, MessageBody }));
  }

  /**
   * Sends every message; entries SQS reports as failed are sent once more. Throws RetryableError when
   * some still fail, so the scheduled invocation is retried (receivers are idempotent on the message's event id).
   */
  async sendAll(queueUrl: string, messages: readonly QueueMessage[]): Promise<number> {
    const batches: QueueMessage[][] = [];
    for (let i = 0; i < messages.length; i += SQS_BATCH) batches.push(messages.slice(i, i + SQS_BATCH));
    const stillFailed: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const entries = batch.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m.body) }));
        let failed = await this.failedOf(queueUrl, entries);
        if (failed.length > 0)
          failed = await this.failedOf(
            queueUrl,
            entries.filter((e) => failed.includes(e.Id)),
          );
        for (const id of failed) stillFailed.push(batch[Number(id)]?.id ?? id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batches.length) }, worker));
    if (stillFailed.length > 0) {
      throw new RetryableError(
        `SQS refused ${stillFailed.length} of ${messages.length} messages (first: ${stillFailed[0]})`,
        { code: 'SendMessageBatchFailed' },
      );
    }
    return messages.length;
  }

  /** Sends one message (the dead-letter path). */
  async send(queueUrl: string, body: unknown): Promise<void> {
    await this.sendOne(queueUrl, JSON.stringify(body));
  }

  private async failedOf(queueUrl: string, entries: { Id: string; MessageBody: string }[]): Promise<string[]> {
    try {
      const out = await this.sendBatch(queueUrl, entries);
      return (out.Failed ?? []).map((f) => f.Id).filter((id): id is string => id !== undefined);
    } catch {
      // The whole call failed (network, throttling past the SDK's retries): every entry is retried once.
      return entries.map((e) => e.Id);
    }
  }
}
