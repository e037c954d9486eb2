import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { OUTCOME_SOURCE, type OutcomeEvent, type OutcomePublisher } from '../../runtime/outcome-events';

/** PutEvents takes at most 10 entries per call (EventBridge quota). */
export const PUT_EVENTS_BATCH = 10;

/** Where delivery problems are reported; the Powertools logger fits this shape. */
export interface OutcomeLog {
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** The one SDK call the publisher makes, so tests can count batches without a network. */
export type PutEvents = (
  entries: PutEventsRequestEntry[],
) => Promise<{ FailedEntryCount?: number; Entries?: { ErrorCode?: string; ErrorMessage?: string }[] }>;

export interface EventBridgeOutcomeOptions {
  /** Bus name or ARN; the central peerkeeper bus. */
  eventBusName: string;
  /** Default: a real EventBridgeClient.send(PutEvents). */
  putEvents?: PutEvents;
  client?: EventBridgeClient;
  log?: OutcomeLog;
}

/** SDK attempts per PutEvents call; the publisher adds one retry of failed entries on top. */
const SDK_MAX_ATTEMPTS = 3;

/**
 * Publishes outcomes to EventBridge in batches of 10. Entries that fail (FailedEntryCount > 0, or the
 * whole call throwing) are retried once; what still fails is logged and counted, never thrown, because
 * the cloud change already happened and the audit log has it.
 */
export class EventBridgeOutcomePublisher implements OutcomePublisher {
  private readonly putEvents: PutEvents;
  private readonly log: OutcomeLog | undefined;

  constructor(private readonly options: EventBridgeOutcomeOptions) {
    this.log = options.log;
    if (options.putEvents) {
      this.putEvents = options.putEvents;
    } else {
      const client = options.client ?? new EventBridgeClient({ maxAttempts: SDK_MAX_ATTEMPTS, retryMode: 'standard' });
      this.putEvents = (entries) => client.send(new PutEventsCommand({ Entries: entries }));
    }
  }

  async publish(events: readonly OutcomeEvent[]): Promise<{ published: number; failed: number }> {
    const entries = events.map((e) => this.entry(e));
    let published = 0;
    let failed = 0;
    for (let i = 0; i < entries.length; i += PUT_EVENTS_BATCH) {
      const batch = entries.slice(i, i + PUT_EVENTS_BATCH);
      const first = await this.send(batch);
      const retried = first.failed.length > 0 ? await this.send(first.failed) : { failed: [], errors: [] };
      published += batch.length - retried.failed.length;
      failed += retried.failed.length;
      if (retried.failed.length > 0) {
        this.log?.error('outcome events not delivered after one retry', {
          count: retried.failed.length,
          errors: retried.errors,
          detailTypes: retried.failed.map((e) => e.DetailType),
        });
      }
    }
    return { published, failed };
  }

  private entry(event: OutcomeEvent): PutEventsRequestEntry {
    return {
      Source: OUTCOME_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      EventBusName: this.options.eventBusName,
      Time: event.time,
    };
  }

  /** One PutEvents call; returns the entries that failed, in order, with their error codes. */
  private async send(batch: PutEventsRequestEntry[]): Promise<{ failed: PutEventsRequestEntry[]; errors: string[] }> {
    try {
      const out = await this.putEvents(batch);
      if (!out.FailedEntryCount) return { failed: [], errors: [] };
      const failed: PutEventsRequestEntry[] = [];
      const errors: string[] = [];
      // Result entries line up with request entries; a failed one carries ErrorCode instead of EventId.
      (out.Entries ?? []).forEach((result, index) => {
        const entry = batch[index];
        if (result.ErrorCode && entry) {
          failed.push(entry);
          errors.push(`${result.ErrorCode}: ${result.ErrorMessage ?? ''}`.trim());
        }
      });
      return { failed, errors };
    } catch (error) {
      this.log?.warn('PutEvents call failed', {
        error: error instanceof Error ? error.message : String(error),
        count: batch.length,
      });
      return { failed: batch, errors: [error instanceof Error ? `${error.name}: ${error.message}` : String(error)] };
    }
  }
}
