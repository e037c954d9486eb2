import type { ApprovalMessageRef, ApprovalRecord } from './record';
import type { SlackClient } from './slack/client';
import { approvalMessage, messageFor } from './slack/messages';

/** Who an answer is for: the person, and where they asked (a response_url, or a channel). */
export interface ReplyTarget {
  user: string;
  channel?: string;
  responseUrl?: string;
}

/**
 * How approvals reach people. Slack is one notifier; the CLI uses a console one, tests a recording
 * one. Keeping chat behind this port keeps the service testable and chat optional.
 */
export interface Notifier {
  /** Announces a new request; returns the message to update later, when there is one. */
  post(record: ApprovalRecord, now: Date): Promise<ApprovalMessageRef | undefined>;
  /** Shows the record's current state on its message (no-op when it has none). */
  update(record: ApprovalRecord, now: Date): Promise<void>;
  /** Tells one person something only they see ("already approved by … at …"). */
  tell(to: ReplyTarget, text: string): Promise<void>;
}

/** Resolves which of the candidate user groups a user belongs to (approvers may be groups). */
export interface ApproverDirectory {
  groupsOf(userId: string, candidateGroups: readonly string[], now: Date): Promise<string[]>;
}

/** Slack user-group ids start with S; user ids with U or W. */
export function isUserGroup(approver: string): boolean {
  return approver.startsWith('S');
}

/** Group membership is read once a minute at most: usergroups.users.list is Tier 2 (20 calls/min). */
const GROUP_CACHE_MS = 60_000;

/** Posts approval requests to one Slack channel and keeps their messages current. */
export class SlackNotifier implements Notifier, ApproverDirectory {
  private readonly groupCache = new Map<string, { members: string[]; at: number }>();

  constructor(private readonly options: { client: SlackClient; channel: string }) {}

  async post(record: ApprovalRecord, now: Date): Promise<ApprovalMessageRef> {
    return this.options.client.postMessage(this.options.channel, approvalMessage(record, now));
  }

  async update(record: ApprovalRecord, now: Date): Promise<void> {
    if (record.message === undefined) return;
    await this.options.client.update(record.message.channel, record.message.ts, messageFor(record, now));
  }

  async tell(to: ReplyTarget, text: string): Promise<void> {
    if (to.responseUrl) {
      await this.options.client.respond(to.responseUrl, { text, response_type: 'ephemeral', replace_original: false });
    } else if (to.channel) {
      await this.options.client.postEphemeral(to.channel, to.user, text);
    }
  }

  async groupsOf(userId: string, candidateGroups: readonly string[], now: Date): Promise<string[]> {
    const member: string[] = [];
    for (const group of candidateGroups.filter(isUserGroup)) {
      let cached = this.groupCache.get(group);
      if (cached === undefined || now.getTime() - cached.at > GROUP_CACHE_MS) {
        cached = { members: await this.options.client.usergroupMembers(group), at: now.getTime() };
        this.groupCache.set(group, cached);
      }
      if (cached.members.includes(userId)) member.push(group);
    }
    return member;
  }
}

/** Slack markup a terminal should not show: `<@U1>` mentions, `<!date^…|fallback>` dates, `code` backticks. */
export function plainText(text: string): string {
  return text
    .replace(/<@([^>|]+)(\|[^>]*)?>/g, '$1')
    .replace(/<!date\^[^|>]*\|([^>]+)>/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * For the CLI and teams without chat: writes one plain line per event (no Slack markup); decisions come from
 * `peerkeeper approve`. `decideHint` spells the complete command for an approval (the CLI knows its --policy
 * and --state-dir; the notifier does not).
 */
export class ConsoleNotifier implements Notifier {
  constructor(
    private readonly write: (line: string) => void,
    private readonly decideHint: (id: string) => string = (id) =>
      `peerkeeper approve ${id} --policy <policy.yaml> --as <approver id>`,
  ) {}

  async post(record: ApprovalRecord): Promise<undefined> {
    this.write(
      `? approval ${record.id} needed: ${record.cloud} ${record.peeringId} ${record.requester.account}/${record.requester.id} → ${record.accepter.account}/${record.accepter.id} — ${record.reason} (expires ${record.expiresAt}; to decide: ${this.decideHint(record.id)})`,
    );
    return undefined;
  }

  async update(record: ApprovalRecord): Promise<void> {
    const by = record.decidedBy && record.decidedBy !== 'peerkeeper' ? ` by ${record.decidedBy}` : '';
    this.write(
      record.status === 'pending'
        ? `approval ${record.id}: pending`
        : `approval ${record.id}: ${record.status}${by}${record.decidedAt ? ` at ${record.decidedAt}` : ''}${record.note ? ` (${record.note})` : ''}`,
    );
  }

  async tell(_to: ReplyTarget, text: string): Promise<void> {
    this.write(plainText(text));
  }
}

/** A notifier that says nothing (approvals then live only in the store and the CLI). */
export class SilentNotifier implements Notifier {
  async post(): Promise<undefined> {
    return undefined;
  }
  async update(): Promise<void> {}
  async tell(): Promise<void> {}
}
