import { createHmac } from 'node:crypto';
import { SlackNotifier } from '../../../shared/approvals/notifier';
import { ApprovalService } from '../../../shared/approvals/service';
import { SlackClient } from '../../../shared/approvals/slack/client';
import { handleSlackRequest } from '../../../shared/approvals/slack/endpoint';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../../../shared/approvals/slack/parse';
import { MemoryApprovalStore, MemoryAuditLog } from '../../../shared/stores/memory';
import { sampleRecord } from '../../stores/contract';
import { peerkeeperClick } from './clicks';
import { FakeSlack } from './fake-slack';

const SECRET = 'signing-secret-for-tests';
const now = new Date('2024-05-01T10:05:00.000Z');

function signed(rawBody: string, at = now, secret = SECRET) {
  const ts = Math.floor(at.getTime() / 1000);
  return {
    rawBody,
    headers: {
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${rawBody}`).digest('hex')}`,
    },
  };
}

function slash(text: string, user = 'U0APPROVE1'): string {
  return new URLSearchParams({
    command: '/peerkeeper',
    text,
    user_id: user,
    user_name: 'alice',
    channel_id: 'C0APPROVALS',
  }).toString();
}

describe('handleSlackRequest', () => {
  const slack = new FakeSlack();
  beforeAll(async () => {
    await slack.start();
  });
  afterAll(async () => {
    await slack.stop();
  });

  async function setup() {
    const store = new MemoryApprovalStore();
    const notifier = new SlackNotifier({
      client: new SlackClient({ token: 'xoxb-endpoint', baseUrl: `${slack.baseUrl}/api` }),
      channel: 'C0APPROVALS',
    });
    const service = new ApprovalService({
      store,
      audit: new MemoryAuditLog(),
      notifier,
      approvers: ['U0APPROVE1', 'W111'],
    });
    const { record } = await service.request(
      { ...sampleRecord('pcx-endpoint'), expiresAt: '2024-05-04T10:00:00.000Z' },
      new Date('2024-05-01T10:00:00.000Z'),
    );
    const logged: string[] = [];
    const deps = { signingSecret: SECRET, service, notifier, now, log: (l: string) => logged.push(l) };
    return { store, service, record, deps, logged };
  }

  it('records a button click, updates the message and hands back the peering to reconcile', async () => {
    const { record, deps } = await setup();
    const before = slack.calls.length;
    const result = await handleSlackRequest(signed(peerkeeperClick(APPROVE_ACTION_ID, record.id)), deps);
    expect(result.response.status).toBe(200);
    expect(result.reconcile).toMatchObject({ id: record.id, status: 'approved', decidedBy: 'W111' });
    const update = slack.calls.slice(before).find((c) => c.path === '/api/chat.update');
    expect(update?.body).toMatchObject({ channel: 'C0APPROVALS', ts: record.message!.ts });
    expect(JSON.stringify(update?.body.blocks)).toContain('Approved by <@W111>');
  });

  it('answers a duplicate click ephemerally through response_url', async () => {
    const { record, deps } = await setup();
    await handleSlackRequest(signed(peerkeeperClick(REJECT_ACTION_ID, record.id)), deps);
    const respondUrl = `${slack.baseUrl}/respond/T111/1/dup`;
    const result = await handleSlackRequest(
      signed(
        peerkeeperClick(APPROVE_ACTION_ID, record.id, (p) => {
          p.response_url = respondUrl;
        }),
      ),
      deps,
    );
    expect(result.reconcile).toBeUndefined();
    expect(slack.callsTo('/respond/T111/1/dup')).toEqual([
      expect.objectContaining({
        body: {
          text: expect.stringMatching(/already rejected by <@W111> at 2024-05-01T10:05:00.000Z/),
          response_type: 'ephemeral',
          replace_original: false,
        },
      }),
    ]);
  });

  it('refuses a bad signature with 401 before reading the body, without logging the secret', async () => {
    const { deps, store, record, logged } = await setup();
    const result = await handleSlackRequest(
      signed(peerkeeperClick(APPROVE_ACTION_ID, record.id), now, 'not-the-secret'),
      deps,
    );
    expect(result.response.status).toBe(401);
    expect((await store.get(record.id))?.status).toBe('pending');
    expect(logged.join()).toMatch(/signature mismatch/);
    expect(logged.join()).not.toContain(SECRET);
  });

  it('refuses a replayed request older than 5 minutes', async () => {
    const { deps, record } = await setup();
    const old = signed(peerkeeperClick(APPROVE_ACTION_ID, record.id), new Date(now.getTime() - 301_000));
    expect((await handleSlackRequest(old, deps)).response.status).toBe(401);
  });

  it('answers 400 to a signed body it cannot read', async () => {
    const { deps } = await setup();
    expect((await handleSlackRequest(signed('hello=world'), deps)).response.status).toBe(400);
  });

  const commands: { reason: string; text: string; user?: string; want: RegExp; reconcile: boolean }[] = [
    {
      reason: 'pending lists open requests',
      text: 'pending',
      want: /1 pending:\n• `aws-[0-9a-f]{12}` aws pcx-endpoint: partner-vpc \(999999999999\)/,
      reconcile: false,
    },
    { reason: 'approve by id decides like a click', text: 'approve ID', want: /^Approved `aws-/, reconcile: true },
    { reason: 'reject keeps the reason', text: 'reject ID overlaps the lab', want: /^Rejected `aws-/, reconcile: true },
    {
      reason: 'a non-approver gets the same refusal as with buttons',
      text: 'approve ID',
      user: 'U0STRANGER',
      want: /U0STRANGER> is not an approver/,
      reconcile: false,
    },
    {
      reason: 'an unknown id is named',
      text: 'approve aws-000000000000',
      want: /no approval `aws-000000000000`/,
      reconcile: false,
    },
    {
      reason: 'nonsense gets usage',
      text: 'frobnicate',
      want: /unknown subcommand `frobnicate`\. Usage:/,
      reconcile: false,
    },
  ];
  it.each(commands)('slash command: $reason', async ({ text, user, want, reconcile }) => {
    const { deps, record } = await setup();
    const result = await handleSlackRequest(signed(slash(text.replace('ID', record.id), user)), deps);
    expect(result.response).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    const body = JSON.parse(result.response.body) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(want);
    expect(result.reconcile !== undefined).toBe(reconcile);
    if (text.startsWith('reject')) expect(result.reconcile?.note).toBe('overlaps the lab');
  });
});
