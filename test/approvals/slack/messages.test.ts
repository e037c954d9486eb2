import {
  approvalMessage,
  decidedMessage,
  escape,
  expiredMessage,
  messageFor,
  supersededMessage,
  type SlackBlock,
} from '../../../shared/approvals/slack/messages';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../../../shared/approvals/slack/parse';
import { sampleRecord } from '../../stores/contract';

const record = sampleRecord('pcx-111aaa', {
  requesterAccountName: 'partner-prod',
  accepterName: 'hub',
  accepterAccountName: 'network-hub',
  connection: 'partner-link',
});
const now = new Date('2024-05-01T10:30:00.000Z');
const allText = (blocks: SlackBlock[]): string => JSON.stringify(blocks);
/** Every text a reader sees, unescaped from JSON. */
const visibleText = (blocks: SlackBlock[]): string =>
  blocks
    .flatMap((b) => [
      ...('text' in b && b.text ? [b.text.text] : []),
      ...('fields' in b && b.fields ? b.fields.map((f) => f.text) : []),
      ...('elements' in b ? b.elements.map((e) => ('text' in e && typeof e.text === 'string' ? e.text : '')) : []),
    ])
    .join('\n');

describe('approvalMessage', () => {
  const message = approvalMessage(record, now);

  it('names both networks with their accounts, CIDRs, the reason and the expiry', () => {
    const text = visibleText(message.blocks);
    for (const expected of [
      'partner-vpc',
      'vpc-0a1b2c3d',
      'Account: partner-prod (999999999999)',
      '*Accepter:* hub (`vpc-0e0f0a0b`)',
      'Account: network-hub (111111111111)',
      '`10.1.0.0/16`',
      '`10.0.0.0/16`, `2600:1f18::/56`',
      `*Why:* ${record.reason}`,
      'connection `partner-link`',
      `Expires <!date^${Date.parse(record.expiresAt) / 1000}^`,
      '(in 71 h 30 min)',
      `/peerkeeper approve ${record.id}`,
    ]) {
      expect(text).toContain(expected);
    }
    expect(message.text).toContain('partner-vpc (999999999999) → hub (111111111111)');
  });

  it('carries Approve and Reject buttons whose value is the approval id', () => {
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({
      elements: [
        { action_id: APPROVE_ACTION_ID, value: record.id, style: 'primary' },
        { action_id: REJECT_ACTION_ID, value: record.id, style: 'danger', confirm: expect.any(Object) },
      ],
    });
  });

  it('says Subscription for Azure and Project for GCP', () => {
    const azure = sampleRecord('p', {
      cloud: 'azure',
      requester: { cloud: 'azure', account: 'sub-1', region: 'westeurope', id: '/subscriptions/sub-1/…/vnet-a' },
    });
    expect(allText(approvalMessage(azure, now).blocks)).toContain('Subscription: sub-1');
  });

  it('escapes mrkdwn control characters from the policy and the cloud', () => {
    const hostile = sampleRecord('p', { reason: 'see <https://evil|here> & <!channel>' });
    const text = allText(approvalMessage(hostile, now).blocks);
    expect(text).toContain('see &lt;https://evil|here&gt; &amp; &lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(escape('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });

  it('keeps fields within Block Kit limits for huge CIDR lists', () => {
    const many = sampleRecord('p', {
      requesterCidrs: Array.from({ length: 400 }, (_, i) => `10.${i % 256}.${i >> 8}.0/24`),
    });
    const section = approvalMessage(many, now).blocks.find((b) => b.type === 'section' && b.fields);
    for (const field of (section as { fields: { text: string }[] }).fields)
      expect(field.text.length).toBeLessThanOrEqual(2000);
  });
});

describe('transit attachment approvals (link: attachment)', () => {
  const hubs = {
    aws: 'tgw-09e3779b97f4a7c15',
    azure: '/subscriptions/sub-1/resourceGroups/wan/providers/Microsoft.Network/virtualHubs/hub-we',
    gcp: 'projects/net-hub/locations/global/hubs/core',
  } as const;
  const attach = (cloud: keyof typeof hubs) =>
    sampleRecord(`attach:spoke@${hubs[cloud]}`, {
      cloud,
      link: 'attachment',
      requesterName: 'orders',
      requesterAccountName: undefined,
      accepter: { cloud, account: '111111111111', region: 'us-east-1', id: hubs[cloud] },
      accepterCidrs: [],
      connection: 'orders-via-tgw',
      reason: 'orders-via-tgw: attaching orders to aws-tgw needs human approval',
    });

  it.each(['aws', 'azure', 'gcp'] as const)('%s: asks to attach the spoke to the transit hub, not to peer', (cloud) => {
    const message = approvalMessage(attach(cloud), now);
    expect(message.text).toBe(
      `Transit attachment request ${attach(cloud).id} needs approval: attach orders (999999999999) to transit hub ${hubs[cloud]} (111111111111)`,
    );
    const text = visibleText(message.blocks);
    for (const expected of [
      'Transit attachment request needs approval',
      '*Spoke:* orders',
      '*Transit hub:* ',
      '*Attachment:* `attach:',
    ])
      expect(text).toContain(expected);
    expect(text).not.toMatch(/\bpeer(ing)?\b/i);
    expect(allText(message.blocks)).toContain('Reject this attachment?');
  });

  it('says so once decided too; a peering between two networks keeps its wording', () => {
    const decided = decidedMessage({ ...attach('aws'), status: 'approved', decidedBy: 'U0APPROVE1' });
    expect(decided.text).toMatch(/^Transit attachment request aws-[0-9a-f]{12}: /);
    expect(visibleText(decided.blocks)).toContain('Transit attachment request (AWS) — approved');
    expect(approvalMessage(record, now).text).toMatch(/^Peering request /);
    expect(visibleText(approvalMessage(record, now).blocks)).toContain('*Requester:* partner-vpc');
  });
});

describe('closed messages', () => {
  it('shows who decided and when, without buttons', () => {
    const decided = decidedMessage({
      ...record,
      status: 'rejected',
      decidedBy: 'U0APPROVE1',
      decidedAt: '2024-05-01T11:00:00.000Z',
      note: 'not this quarter',
      version: 3,
    });
    const text = allText(decided.blocks);
    expect(text).toContain(':x: Rejected by <@U0APPROVE1>');
    expect(text).toContain('not this quarter');
    expect(decided.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('says an expired request was closed, and a superseded one why', () => {
    expect(allText(expiredMessage({ ...record, status: 'expired' }).blocks)).toContain(
      'without a decision; the request was closed',
    );
    expect(
      allText(supersededMessage({ ...record, status: 'superseded', note: 'the peering was deleted' }).blocks),
    ).toContain('the peering was deleted');
  });

  it('picks the message for each status', () => {
    expect(messageFor(record, now).blocks.some((b) => b.type === 'actions')).toBe(true);
    for (const status of ['approved', 'rejected', 'expired', 'superseded'] as const) {
      expect(messageFor({ ...record, status }, now).blocks.some((b) => b.type === 'actions')).toBe(false);
    }
  });
});
