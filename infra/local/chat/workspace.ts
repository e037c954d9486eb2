import { createHmac } from 'node:crypto';

/** A message in the local channel, as chat.postMessage / chat.update left it. */
export interface ChatMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** How many times chat.update replaced it. */
  updates: number;
}

/** A line only one user sees (chat.postEphemeral or a response_url answer). */
export interface EphemeralLine {
  user: string;
  text: string;
}

/** A button on a message, read back from its blocks. */
export interface ChatButton {
  actionId: string;
  value: string;
  text: string;
}

/** The Slack Web API methods the stand-in answers (the four approvals use). */
export const SLACK_METHODS = [
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'usergroups.users.list',
] as const;

/**
 * The state of the local Slack workspace: one channel's messages, ephemerals, user groups. Pure data plus
 * the Web API semantics (`ok:false` with Slack's error codes for unknown channels, messages and methods).
 */
export class ChatWorkspace {
  readonly messages: ChatMessage[] = [];
  readonly ephemerals: EphemeralLine[] = [];
  readonly groups = new Map<string, string[]>();
  private seq = 0;

  constructor(
    private readonly token: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Answers one Web API call like Slack: HTTP 200 with `{ ok, … }`. */
  call(method: string, authorization: string | undefined, args: Record<string, unknown>): Record<string, unknown> {
    if (authorization !== `Bearer ${this.token}`) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'chat.postMessage': {
        const channel = str(args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        this.seq += 1;
        // Slack's ts is seconds.microseconds; the sequence keeps two posts in one second distinct.
        const ts = `${Math.floor(this.now().getTime() / 1000)}.${String(this.seq).padStart(6, '0')}`;
        this.messages.push({
          channel,
          ts,
          text: str(args.text),
          blocks: Array.isArray(args.blocks) ? args.blocks : [],
          updates: 0,
        });
        return { ok: true, channel, ts };
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === str(args.channel) && m.ts === str(args.ts));
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = str(args.text);
        message.blocks = Array.isArray(args.blocks) ? args.blocks : [];
        message.updates += 1;
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'chat.postEphemeral':
        this.ephemerals.push({ user: str(args.user), text: str(args.text) });
        return { ok: true, message_ts: `${Math.floor(this.now().getTime() / 1000)}.000000` };
      case 'usergroups.users.list':
        return { ok: true, users: this.groups.get(str(args.usergroup)) ?? [] };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** What Slack would show for a message: its blocks' text (header, sections, fields, context), else the fallback text. */
  displayText(message: ChatMessage): string {
    type Text = { text?: string };
    const lines: string[] = [];
    for (const block of message.blocks as { type?: string; text?: Text; fields?: Text[]; elements?: Text[] }[]) {
      if (block.type === 'header' || block.type === 'section') {
        if (block.text?.text) lines.push(block.text.text);
        for (const field of block.fields ?? []) if (field.text) lines.push(field.text);
      }
      if (block.type === 'context') for (const e of block.elements ?? []) if (e.text) lines.push(e.text);
    }
    return readable(lines.length > 0 ? lines.join('\n') : message.text);
  }

  /** The buttons a message still shows (decided messages have none). */
  buttonsOf(message: ChatMessage): ChatButton[] {
    const out: ChatButton[] = [];
    for (const block of message.blocks as {
      type?: string;
      elements?: { type?: string; action_id?: string; value?: string; text?: { text?: string } }[];
    }[]) {
      if (block.type !== 'actions') continue;
      for (const e of block.elements ?? []) {
        if (e.type === 'button' && e.action_id && e.value)
          out.push({ actionId: e.action_id, value: e.value, text: e.text?.text ?? e.action_id });
      }
    }
    return out;
  }
}

/** The block_actions payload Slack posts when `user` clicks `button` on `message` (form-encoded, like Slack). */
export function interactionBody(
  message: ChatMessage,
  button: ChatButton,
  user: { id: string; name: string },
  responseUrl: string,
): string {
  const payload = {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: 'T0LOCAL' },
    api_app_id: 'A0LOCAL',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: `${message.ts}.local`,
    team: { id: 'T0LOCAL', domain: 'peerkeeper-local' },
    channel: { id: message.channel, name: 'networks' },
    message: { ts: message.ts, text: message.text },
    response_url: responseUrl,
    actions: [
      {
        action_id: button.actionId,
        block_id: `peerkeeper:${button.value}`,
        value: button.value,
        type: 'button',
        text: { type: 'plain_text', text: button.text },
        action_ts: message.ts,
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Slack's request signature: `v0=` + HMAC-SHA256(secret, `v0:<ts>:<raw body>`), with the timestamp header. */
export function signSlackRequest(rawBody: string, secret: string, now: Date): Record<string, string> {
  const ts = String(Math.floor(now.getTime() / 1000));
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${rawBody}`).digest('hex')}`;
  return {
    'x-slack-request-timestamp': ts,
    'x-slack-signature': signature,
    'content-type': 'application/x-www-form-urlencoded',
  };
}

/** Slack's mrkdwn tokens as the Slack client renders them: dates by their fallback, mentions as @id, two emoji. */
function readable(text: string): string {
  return text
    .replace(/<!date\^\d+\^[^|>]*\|([^>]+)>/g, '$1')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/:white_check_mark:/g, '✅')
    .replace(/:x:/g, '❌')
    .replace(/:hourglass:/g, '⌛')
    .replace(/:information_source:/g, 'ℹ️');
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
