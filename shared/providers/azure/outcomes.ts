import { createHash } from 'node:crypto';
import { OUTCOME_SOURCE, type OutcomeEvent, type OutcomePublisher } from '../../runtime/outcome-events';
import type { TokenCredential } from '@azure/identity';

/** Event Grid accepts at most 1 MB per publish request; outcomes are < 2 KB each, so 100 per request is safe. */
const BATCH = 100;
/** The Event Grid data-plane API version of the custom-topic publish call (EventGridSchema). */
export const EVENT_GRID_PUBLISH_API_VERSION = '2018-01-01';
/** Role the function app's identity needs on the topic (infra/azure assigns it). */
export const EVENT_GRID_SENDER_ROLE = 'EventGrid Data Sender';

/** Where delivery problems are reported. */
export interface OutcomeLog {
  warn(message: string, extra?: Record<string, unknown>): void;
}

/**
 * Publishes outcomes to an Event Grid custom topic (EventGridSchema), authenticated with the app's managed
 * identity (Entra token for https://eventgrid.azure.net). eventType is `peerkeeper.<Detail Type>`, subject the
 * action's target. One retry of a failed batch; what still fails is logged and counted, never thrown: the
 * change already happened and the audit log has it.
 */
export class EventGridOutcomePublisher implements OutcomePublisher {
  constructor(
    private readonly options: {
      topicEndpoint: string;
      credential: TokenCredential;
      fetch?: typeof fetch;
      log?: OutcomeLog;
    },
  ) {}

  async publish(events: readonly OutcomeEvent[]): Promise<{ published: number; failed: number }> {
    let published = 0;
    let failed = 0;
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH).map(toEventGrid);
      const ok = (await this.send(batch)) || (await this.send(batch));
      if (ok) published += batch.length;
      else failed += batch.length;
    }
    return { published, failed };
  }

  private async send(batch: readonly EventGridEvent[]): Promise<boolean> {
    const url = `${this.options.topicEndpoint.replace(/\/api\/events.*$/, '').replace(/\/$/, '')}/api/events?api-version=${EVENT_GRID_PUBLISH_API_VERSION}`;
    try {
      const token = await this.options.credential.getToken('https://eventgrid.azure.net/.default');
      const res = await (this.options.fetch ?? globalThis.fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token.token}` } : {}) },
        body: JSON.stringify(batch),
      });
      if (res.ok) return true;
      this.options.log?.warn('Event Grid publish refused', {
        status: res.status,
        body: (await res.text()).slice(0, 200),
        count: batch.length,
      });
      return false;
    } catch (error) {
      this.options.log?.warn('Event Grid publish failed', {
        error: error instanceof Error ? error.message : String(error),
        count: batch.length,
      });
      return false;
    }
  }
}

/** One outcome in Event Grid's own schema. */
export interface EventGridEvent {
  id: string;
  eventType: string;
  subject: string;
  eventTime: string;
  dataVersion: string;
  data: OutcomeEvent['detail'];
}

/** The Event Grid form of an outcome; the id is stable for the same outcome, so a retried publish is deduplicable. */
export function toEventGrid(event: OutcomeEvent): EventGridEvent {
  const subject = outcomeSubject(event);
  return {
    id: createHash('sha256')
      .update(`${event.detail.planHash}|${event.detailType}|${subject}`)
      .digest('hex')
      .slice(0, 32),
    eventType: `${OUTCOME_SOURCE}.${event.detailType}`,
    subject,
    eventTime: event.time.toISOString(),
    dataVersion: '1',
    data: event.detail,
  };
}

/** What an outcome is about, as a path: `/aws/pcx-1`, `/azure/<route table>/<destination>`. */
export function outcomeSubject(event: OutcomeEvent): string {
  const t = event.detail.target as Record<string, unknown>;
  const id =
    typeof t.subject === 'string'
      ? t.subject
      : typeof t.routeTableId === 'string'
        ? `${t.routeTableId}/${String(t.destination)}`
        : typeof t.id === 'string'
          ? t.id
          : `${(t.requester as { id?: string } | undefined)?.id ?? '?'}->${(t.accepter as { id?: string } | undefined)?.id ?? '?'}`;
  return `/${event.detail.cloud}/${id.replace(/^\//, '')}`;
}
