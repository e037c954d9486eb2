import { parseInteraction, verifySlackSignature, APPROVE_ACTION_ID } from '../../../shared/approvals';
import { interactionBody, signSlackRequest, ChatWorkspace } from '../../../infra/local/chat/workspace';

const TOKEN = 'xoxb-test';
const NOW = new Date('2026-11-20T12:00:00.000Z');
const auth = `Bearer ${TOKEN}`;

function posted(workspace: ChatWorkspace) {
  const out = workspace.call('chat.postMessage', auth, {
    channel: 'C0NETWORKS',
    text: 'Peering request',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Peering request (AWS)' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Requester:* 999999999999' }] },
      {
        type: 'actions',
        block_id: 'peerkeeper:apr-1',
        elements: [
          {
            type: 'button',
            action_id: APPROVE_ACTION_ID,
            value: 'apr-1',
            text: { type: 'plain_text', text: 'Approve' },
          },
        ],
      },
    ],
  });
  return { out, message: workspace.messages[0]! };
}

describe('the local Slack workspace', () => {
  const cases: Record<
    string,
    {
      reason: string;
      method: string;
      authorization: string | undefined;
      args: Record<string, unknown>;
      want: Record<string, unknown>;
    }
  > = {
    'a wrong token': {
      reason: 'the stand-in checks the bot token like Slack',
      method: 'chat.postMessage',
      authorization: 'Bearer nope',
      args: { channel: 'C1' },
      want: { ok: false, error: 'invalid_auth' },
    },
    'no channel': {
      reason: 'Slack answers channel_not_found',
      method: 'chat.postMessage',
      authorization: auth,
      args: {},
      want: { ok: false, error: 'channel_not_found' },
    },
    'updating a message that does not exist': {
      reason: 'chat.update needs channel and ts of a posted message',
      method: 'chat.update',
      authorization: auth,
      args: { channel: 'C1', ts: '1.2' },
      want: { ok: false, error: 'message_not_found' },
    },
    'an unknown method': {
      reason: 'only the four methods approvals use exist',
      method: 'conversations.list',
      authorization: auth,
      args: {},
      want: { ok: false, error: 'unknown_method' },
    },
  };
  it.each(Object.entries(cases))('refuses %s', (_name, c) => {
    expect(new ChatWorkspace(TOKEN, () => NOW).call(c.method, c.authorization, c.args)).toEqual(c.want);
  });

  it("posts, updates (buttons go when the blocks have none) and shows the blocks' text", () => {
    const workspace = new ChatWorkspace(TOKEN, () => NOW);
    const { out, message } = posted(workspace);
    expect(out).toMatchObject({ ok: true, channel: 'C0NETWORKS' });
    expect(workspace.buttonsOf(message)).toEqual([{ actionId: APPROVE_ACTION_ID, value: 'apr-1', text: 'Approve' }]);
    expect(workspace.displayText(message)).toBe('Peering request (AWS)\n*Requester:* 999999999999');
    expect(
      workspace.call('chat.update', auth, { channel: 'C0NETWORKS', ts: message.ts, text: 'approved', blocks: [] }),
    ).toMatchObject({ ok: true });
    expect(workspace.buttonsOf(message)).toEqual([]);
    expect(message.updates).toBe(1);
  });

  it("renders Slack's date and mention tokens and emoji the way the Slack client shows them", () => {
    const workspace = new ChatWorkspace(TOKEN, () => NOW);
    workspace.call('chat.postMessage', auth, {
      channel: 'C1',
      text: ':white_check_mark: Approved by <@U0LOCALNET> at <!date^1795244797^{date_short_pretty} {time}|2026-11-21T07:06:37.980Z>',
    });
    expect(workspace.displayText(workspace.messages[0]!)).toBe(
      '✅ Approved by @U0LOCALNET at 2026-11-21T07:06:37.980Z',
    );
  });

  it('builds a click the real endpoint accepts: signature verified, payload parsed to the approval', () => {
    const workspace = new ChatWorkspace(TOKEN, () => NOW);
    const { message } = posted(workspace);
    const body = interactionBody(
      message,
      workspace.buttonsOf(message)[0]!,
      { id: 'U0LOCALNET', name: 'ana' },
      'http://127.0.0.1:1/response/U0LOCALNET',
    );
    const headers = signSlackRequest(body, 'secret', NOW);
    expect(() =>
      verifySlackSignature({
        rawBody: body,
        signingSecret: 'secret',
        now: NOW,
        timestamp: headers['x-slack-request-timestamp'],
        signature: headers['x-slack-signature'],
      }),
    ).not.toThrow();
    expect(parseInteraction(body)).toMatchObject({
      action: 'approve',
      approvalId: 'apr-1',
      user: { id: 'U0LOCALNET' },
      channel: 'C0NETWORKS',
      messageTs: message.ts,
    });
  });

  it('signs over the exact body: a changed body or another secret fails verification', () => {
    const headers = signSlackRequest('payload=a', 'secret', NOW);
    const verify = (rawBody: string, signingSecret: string) => () =>
      verifySlackSignature({
        rawBody,
        signingSecret,
        now: NOW,
        timestamp: headers['x-slack-request-timestamp'],
        signature: headers['x-slack-signature'],
      });
    expect(verify('payload=b', 'secret')).toThrow();
    expect(verify('payload=a', 'other')).toThrow();
  });
});
