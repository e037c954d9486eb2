import { inspect } from 'node:util';
import { SlackClient } from '../../../shared/approvals/slack/client';
import { RetryableError, TerminalError } from '../../../shared/errors';
import { FakeSlack } from './fake-slack';

const TOKEN = 'xoxb-test-secret-token';

describe('SlackClient', () => {
  const slack = new FakeSlack();
  let client: SlackClient;
  beforeAll(async () => {
    await slack.start();
    client = new SlackClient({ token: TOKEN, baseUrl: `${slack.baseUrl}/api` });
  });
  afterAll(async () => {
    await slack.stop();
  });

  it('posts with the bot token and returns where the message landed', async () => {
    const where = await client.postMessage('C0APPROVALS', { text: 'hello', blocks: [] });
    expect(where).toEqual({ channel: 'C0APPROVALS', ts: expect.stringMatching(/^\d+\.000100$/) });
    const call = slack.callsTo('/api/chat.postMessage').at(-1)!;
    expect(call.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call.body).toMatchObject({ channel: 'C0APPROVALS', text: 'hello', blocks: [] });
  });

  it('answers through response_url without the token', async () => {
    await client.respond(`${slack.baseUrl}/respond/T1/1/x`, {
      text: 'already decided',
      response_type: 'ephemeral',
      replace_original: false,
    });
    const call = slack.callsTo('/respond/T1/1/x').at(-1)!;
    expect(call.authorization).toBeUndefined();
    expect(call.body).toEqual({ text: 'already decided', response_type: 'ephemeral', replace_original: false });
  });

  it('reads user group members', async () => {
    slack.groups.set('S0NETOPS', ['U1', 'U2']);
    expect(await client.usergroupMembers('S0NETOPS')).toEqual(['U1', 'U2']);
  });

  const failures: {
    reason: string;
    status: number;
    body: unknown;
    headers?: Record<string, string>;
    want: { type: typeof RetryableError | typeof TerminalError; code: string; retryAfterMs?: number };
  }[] = [
    {
      reason: 'HTTP 429 is retryable after Retry-After seconds',
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': '7' },
      want: { type: RetryableError, code: 'ratelimited', retryAfterMs: 7000 },
    },
    { reason: 'a 5xx is retryable', status: 503, body: {}, want: { type: RetryableError, code: '503' } },
    {
      reason: 'ok:false internal_error is retryable',
      status: 200,
      body: { ok: false, error: 'internal_error' },
      want: { type: RetryableError, code: 'internal_error' },
    },
    {
      reason: 'a bad channel will not get better',
      status: 200,
      body: { ok: false, error: 'channel_not_found' },
      want: { type: TerminalError, code: 'channel_not_found' },
    },
    {
      reason: 'a revoked token will not get better',
      status: 200,
      body: { ok: false, error: 'invalid_auth' },
      want: { type: TerminalError, code: 'invalid_auth' },
    },
  ];
  it.each(failures)('$reason', async ({ status, body, headers, want }) => {
    slack.failNext('/api/chat.update', status, body, headers);
    const error = await client.update('C1', '1.2', { text: 't', blocks: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(want.type);
    expect(error).toMatchObject({ code: want.code, ...(want.retryAfterMs ? { retryAfterMs: want.retryAfterMs } : {}) });
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });

  it('treats an unreachable Slack as retryable', async () => {
    const offline = new SlackClient({ token: TOKEN, baseUrl: 'http://127.0.0.1:1/api' });
    await expect(offline.postEphemeral('C1', 'U1', 'x')).rejects.toBeInstanceOf(RetryableError);
  });

  it('never shows the token when logged or serialized', () => {
    expect(inspect(client, { depth: 5, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });
});
