import { RetryableError, TerminalError } from '../../errors';
import type { TokenSource } from './client';
import { anonymous, applicationDefaultCredentials } from './connect';

/** Publishes JSON messages to a topic; the sweep's fan-out and the dead-letter path use it (tests inject a fake). */
export interface MessagePublisher {
  /** Publishes every message (in batches); resolves to how many were accepted. */
  publish(topic: string, messages: readonly { data: unknown; attributes?: Record<string, string> }[]): Promise<number>;
}

export const DEFAULT_PUBSUB_ENDPOINT = 'https://pubsub.googleapis.com/v1';
/** Pub/Sub caps one publish request at 1,000 messages and 10 MB; work messages are < 1 KB, so 500 per request is safe. */
const BATCH = 500;

/** Permissions the publisher needs on its topics (infra/gcp grants them per topic). */
export const PUBSUB_PERMISSIONS = ['pubsub.topics.publish'] as const;

/**
 * `topics.publish` over the Pub/Sub REST API with fetch: no client library (the gRPC one adds ~10 MB to
 * the bundle). `topic` is `projects/P/topics/T`. 429 / 5xx are retryable, anything else terminal.
 */
export class PubSubRestPublisher implements MessagePublisher {
  constructor(private readonly opts: { endpoint?: string; auth: TokenSource; fetch?: typeof fetch }) {}

  async publish(
    topic: string,
    messages: readonly { data: unknown; attributes?: Record<string, string> }[],
  ): Promise<number> {
    const base = (this.opts.endpoint ?? DEFAULT_PUBSUB_ENDPOINT).replace(/\/+$/, '');
    const url = `${base}/${topic}:publish`;
    const send = this.opts.fetch ?? globalThis.fetch;
    let published = 0;
    for (let i = 0; i < messages.length; i += BATCH) {
      const body = {
        messages: messages.slice(i, i + BATCH).map((m) => ({
          data: Buffer.from(JSON.stringify(m.data)).toString('base64'),
          ...(m.attributes ? { attributes: m.attributes } : {}),
        })),
      };
      let res: Response;
      try {
        res = await send(url, {
          method: 'POST',
          headers: { ...(await this.opts.auth.headers(url)), 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch (e) {
        throw new RetryableError(`Pub/Sub publish to ${topic}: ${e instanceof Error ? e.message : String(e)}`, {
          code: 'NETWORK',
          cause: e,
        });
      }
      const text = await res.text();
      if (!res.ok) {
        const message = `Pub/Sub publish to ${topic}: HTTP ${res.status} ${text.slice(0, 200)}`;
        throw res.status === 429 || res.status >= 500
          ? new RetryableError(message, { code: String(res.status) })
          : new TerminalError(message, { code: String(res.status) });
      }
      published += ((JSON.parse(text || '{}') as { messageIds?: string[] }).messageIds ?? []).length;
    }
    return published;
  }
}

/**
 * The publisher the environment asks for: PUBSUB_EMULATOR_HOST (the gcloud emulator, unauthenticated),
 * else PEERKEEPER_PUBSUB_ENDPOINT or live Pub/Sub with Application Default Credentials (pubsub scope).
 */
export function createPubSubPublisher(env: NodeJS.ProcessEnv): PubSubRestPublisher {
  if (env.PUBSUB_EMULATOR_HOST)
    return new PubSubRestPublisher({ endpoint: `http://${env.PUBSUB_EMULATOR_HOST}/v1`, auth: anonymous });
  return new PubSubRestPublisher({
    endpoint: env.PEERKEEPER_PUBSUB_ENDPOINT ?? DEFAULT_PUBSUB_ENDPOINT,
    auth: applicationDefaultCredentials(['https://www.googleapis.com/auth/pubsub']),
  });
}
