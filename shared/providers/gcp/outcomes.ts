import { OUTCOME_SOURCE, type OutcomeEvent, type OutcomePublisher } from '../../runtime/outcome-events';
import type { MessagePublisher } from './pubsub';

/** Where delivery problems are reported. */
export interface OutcomeLog {
  warn(message: string, extra?: Record<string, unknown>): void;
}

/**
 * Publishes outcomes to a Pub/Sub topic: the message is the outcome's detail; attributes carry what
 * subscribers filter on (`source`, `type` = the detail type, `cloud`, `action`), as Pub/Sub subscription filters
 * match attributes only. One retry; what still fails is logged and counted, never thrown.
 */
export class PubSubOutcomePublisher implements OutcomePublisher {
  constructor(private readonly options: { topic: string; publisher: MessagePublisher; log?: OutcomeLog }) {}

  async publish(events: readonly OutcomeEvent[]): Promise<{ published: number; failed: number }> {
    if (events.length === 0) return { published: 0, failed: 0 };
    const messages = events.map((e) => ({
      data: { ...e.detail, detailType: e.detailType, time: e.time.toISOString() },
      attributes: { source: OUTCOME_SOURCE, type: e.detailType, cloud: e.detail.cloud, action: e.detail.action },
    }));
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const published = await this.options.publisher.publish(this.options.topic, messages);
        return { published, failed: messages.length - published };
      } catch (error) {
        this.options.log?.warn('Pub/Sub outcome publish failed', {
          attempt,
          error: error instanceof Error ? error.message : String(error),
          count: messages.length,
        });
      }
    }
    return { published: 0, failed: messages.length };
  }
}
