import { RetryableError, TerminalError } from '../../errors';
import type { SlackMessage } from './messages';

/** Slack Web API error codes worth retrying; everything else (invalid_auth, channel_not_found, …) is terminal. */
const RETRYABLE_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

export interface SlackClientOptions {
  /** Bot token (xoxb-…). Kept in a private field: never logged, never in error messages. */
  token: string;
  /** https://slack.com/api unless pointed at the local cloud's chat stand-in. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** What a response_url accepts for an ephemeral answer. */
export interface SlackResponseBody {
  text: string;
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

/** A minimal Slack Web API client over fetch: the five calls approvals need. */
export class SlackClient {
  readonly #token: string;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(options: SlackClientOptions) {
    this.#token = options.token;
    this.baseUrl = (options.baseUrl ?? 'https://slack.com/api').replace(/\/$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** chat.postMessage; returns where the message landed, so it can be updated later. */
  async postMessage(channel: string, message: SlackMessage): Promise<{ channel: string; ts: string }> {
    const out = await this.call('chat.postMessage', {
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    return { channel: typeof out.channel === 'string' ? out.channel : channel, ts: String(out.ts) };
  }

  /** chat.update: replaces the message's text and blocks (buttons go away when the blocks have none). */
  async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.call('chat.update', { channel, ts, text: message.text, blocks: message.blocks });
  }

  /** chat.postEphemeral: a line only `user` sees. */
  async postEphemeral(channel: string, user: string, text: string): Promise<void> {
    await this.call('chat.postEphemeral', { channel, user, text });
  }

  /** The members of a user group (usergroups.users.list), to check group approvers. */
  async usergroupMembers(usergroup: string): Promise<string[]> {
    const out = await this.call('usergroups.users.list', { usergroup });
    return Array.isArray(out.users) ? out.users.filter((u): u is string => typeof u === 'string') : [];
  }

  /** Answers through an interaction's response_url (valid 30 minutes, 5 uses); no token is sent there. */
  async respond(responseUrl: string, body: SlackResponseBody): Promise<void> {
    const res = await this.send(
      responseUrl,
      { 'content-type': 'application/json; charset=utf-8' },
      JSON.stringify(body),
      'response_url',
    );
    if (!res.ok) throw failure('response_url', res.status, undefined, res.headers.get('retry-after'));
  }

  private async call(method: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await this.send(
      `${this.baseUrl}/${method}`,
      {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${this.#token}`,
      },
      JSON.stringify(args),
      method,
    );
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || body.ok !== true) {
      throw failure(
        method,
        res.status,
        typeof body.error === 'string' ? body.error : undefined,
        res.headers.get('retry-after'),
      );
    }
    return body;
  }

  private async send(url: string, headers: Record<string, string>, body: string, what: string): Promise<Response> {
    try {
      return await this.fetch(url, { method: 'POST', headers, body });
    } catch (error) {
      throw new RetryableError(`Slack ${what}: ${error instanceof Error ? error.message : 'request failed'}`);
    }
  }
}

function failure(what: string, status: number, error: string | undefined, retryAfter: string | null): Error {
  const message = `Slack ${what} failed: ${error ?? `HTTP ${status}`}`;
  if (status === 429 || status >= 500 || (error !== undefined && RETRYABLE_ERRORS.has(error))) {
    const seconds = Number(retryAfter);
    return new RetryableError(message, {
      code: error ?? String(status),
      ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}),
    });
  }
  return new TerminalError(message, { code: error ?? String(status) });
}
