import type { NetworkRef } from '../../model';
import { outcomeText } from '../lifecycle';
import type { ApprovalRecord } from '../record';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from './parse';

/** A Block Kit block; only the shapes peerkeeper sends are spelled out. */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text?: { type: 'mrkdwn'; text: string }; fields?: { type: 'mrkdwn'; text: string }[] }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | { type: 'actions'; block_id: string; elements: SlackButton[] };

export interface SlackButton {
  type: 'button';
  action_id: string;
  value: string;
  style: 'primary' | 'danger';
  text: { type: 'plain_text'; text: string };
  confirm?: {
    title: { type: 'plain_text'; text: string };
    text: { type: 'mrkdwn'; text: string };
    confirm: { type: 'plain_text'; text: string };
    deny: { type: 'plain_text'; text: string };
  };
}

/** `text` is the notification / fallback; `blocks` is what people see. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Block Kit limits: a section field holds at most 2,000 characters, a header 150. */
const FIELD_LIMIT = 2000;
const HEADER_LIMIT = 150;

/** The request, with Approve and Reject buttons (Reject asks for confirmation: it tears down the request). */
export function approvalMessage(record: ApprovalRecord, now: Date): SlackMessage {
  const left = Math.max(0, Date.parse(record.expiresAt) - now.getTime());
  const hours = Math.floor(left / 3_600_000);
  const minutes = Math.floor((left % 3_600_000) / 60_000);
  const transit = isAttachment(record);
  const asked = transit
    ? `attach ${describe(record.requester, record.requesterName)} to transit hub ${describe(record.accepter, record.accepterName)}`
    : `${describe(record.requester, record.requesterName)} → ${describe(record.accepter, record.accepterName)}`;
  return {
    text: `${kindOf(record)} request ${record.id} needs approval: ${asked}`,
    blocks: [
      header(`${kindOf(record)} request needs approval (${record.cloud.toUpperCase()})`),
      ...details(record),
      {
        type: 'context',
        elements: [
          mrkdwn(
            `Expires ${slackDate(record.expiresAt)} (in ${hours} h ${minutes} min) · id \`${escape(record.id)}\` · or \`/peerkeeper approve ${escape(record.id)}\``,
          ),
        ],
      },
      {
        type: 'actions',
        block_id: `peerkeeper:${record.id}`,
        elements: [
          button(APPROVE_ACTION_ID, record.id, 'Approve', 'primary'),
          {
            ...button(REJECT_ACTION_ID, record.id, 'Reject', 'danger'),
            confirm: {
              title: plain(transit ? 'Reject this attachment?' : 'Reject this peering?'),
              text: mrkdwn('peerkeeper will reject the request in the cloud.'),
              confirm: plain('Reject'),
              deny: plain('Cancel'),
            },
          },
        ],
      },
    ],
  };
}

/** The message after a human decision: same details, no buttons, who decided and when. */
export function decidedMessage(record: ApprovalRecord): SlackMessage {
  const verb = record.status === 'approved' ? ':white_check_mark: Approved' : ':x: Rejected';
  const by = record.decidedBy ? `<@${escape(record.decidedBy)}>` : 'someone';
  const note = record.note ? ` — “${escape(record.note)}”` : '';
  return closed(record, `${verb} by ${by} at ${slackDate(record.decidedAt ?? record.createdAt)}${note}`);
}

/** The message after the approval expired without a decision. */
export function expiredMessage(record: ApprovalRecord): SlackMessage {
  return closed(
    record,
    `:hourglass: Expired at ${slackDate(record.expiresAt)} without a decision; the request was closed.`,
  );
}

/** The message after the approval stopped mattering (the peering changed or the policy now decides it). */
export function supersededMessage(record: ApprovalRecord): SlackMessage {
  return closed(record, `:information_source: Closed without a decision: ${escape(record.note ?? 'superseded')}`);
}

/** The message for the record's current status. */
export function messageFor(record: ApprovalRecord, now: Date): SlackMessage {
  switch (record.status) {
    case 'pending':
      return approvalMessage(record, now);
    case 'approved':
    case 'rejected':
      return decidedMessage(record);
    case 'expired':
      return expiredMessage(record);
    case 'superseded':
      return supersededMessage(record);
  }
}

function closed(record: ApprovalRecord, outcome: string): SlackMessage {
  return {
    text: `${kindOf(record)} request ${record.id}: ${outcomeText(record)}`,
    blocks: [
      header(`${kindOf(record)} request (${record.cloud.toUpperCase()}) — ${record.status}`),
      ...details(record),
      { type: 'section', text: mrkdwn(outcome) },
    ],
  };
}

function details(record: ApprovalRecord): SlackBlock[] {
  return [
    {
      type: 'section',
      fields: [
        mrkdwn(
          side(
            isAttachment(record) ? 'Spoke' : 'Requester',
            record.requester,
            record.requesterName,
            record.requesterAccountName,
            record.requesterCidrs,
          ),
        ),
        mrkdwn(
          side(
            isAttachment(record) ? 'Transit hub' : 'Accepter',
            record.accepter,
            record.accepterName,
            record.accepterAccountName,
            record.accepterCidrs,
          ),
        ),
      ],
    },
    {
      type: 'section',
      text: mrkdwn(
        truncate(
          `*Why:* ${escape(record.reason)}\n*${isAttachment(record) ? 'Attachment' : 'Peering'}:* \`${escape(record.peeringId)}\`${record.connection ? ` · connection \`${escape(record.connection)}\`` : ''}`,
        ),
      ),
    },
  ];
}

/** A transit attachment's approval (issue 17): a spoke to attach to a hub (TGW, Virtual WAN hub, NCC hub), not a peering. */
export function isAttachment(record: Pick<ApprovalRecord, 'link'>): boolean {
  return record.link === 'attachment';
}

function kindOf(record: ApprovalRecord): string {
  return isAttachment(record) ? 'Transit attachment' : 'Peering';
}

const ACCOUNT_WORD = { aws: 'Account', azure: 'Subscription', gcp: 'Project' } as const;

function side(
  role: string,
  ref: NetworkRef,
  name: string | undefined,
  accountName: string | undefined,
  cidrs: readonly string[],
): string {
  return truncate(
    [
      `*${role}:* ${escape(name ?? ref.id)}${name ? ` (\`${escape(ref.id)}\`)` : ''}`,
      `${ACCOUNT_WORD[ref.cloud]}: ${accountName ? `${escape(accountName)} (${escape(ref.account)})` : escape(ref.account)}`,
      `Region: ${escape(ref.region)}`,
      `CIDRs: ${cidrs.length > 0 ? cidrs.map((c) => `\`${escape(c)}\``).join(', ') : '(none observed)'}`,
    ].join('\n'),
  );
}

function describe(ref: NetworkRef, name?: string): string {
  return `${name ?? ref.id} (${ref.account})`;
}

/** Slack renders `<!date^…>` in each reader's time zone; the ISO text is the fallback. */
function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return Number.isNaN(seconds) ? escape(iso) : `<!date^${seconds}^{date_short_pretty} {time}|${escape(iso)}>`;
}

/** mrkdwn needs exactly these three escaped (Slack "Formatting text"). */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, limit = FIELD_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function header(text: string): SlackBlock {
  return { type: 'header', text: plain(truncate(text, HEADER_LIMIT)) };
}

function plain(text: string): { type: 'plain_text'; text: string } {
  return { type: 'plain_text', text };
}

function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text };
}

function button(actionId: string, value: string, text: string, style: 'primary' | 'danger'): SlackButton {
  return { type: 'button', action_id: actionId, value, style, text: plain(text) };
}
