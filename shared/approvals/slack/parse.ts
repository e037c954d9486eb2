import { z } from 'zod';
import { MalformedEventError } from '../../errors';

/** Button action ids on approval messages; the button value is the approval id. */
export const APPROVE_ACTION_ID = 'peerkeeper.approve';
export const REJECT_ACTION_ID = 'peerkeeper.reject';

/** A click on an Approve or Reject button. */
export interface SlackInteraction {
  action: 'approve' | 'reject';
  approvalId: string;
  user: { id: string; name?: string };
  responseUrl: string;
  channel: string;
  messageTs: string;
}

const BlockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1), name: z.string().optional(), username: z.string().optional() }),
  response_url: z.url(),
  container: z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).optional(),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

/**
 * Reads a block_actions interaction: a form-encoded body with one field, `payload`, holding JSON.
 * Call only after verifySlackSignature. Throws MalformedEventError for anything that is not a click
 * on a peerkeeper button.
 */
export function parseInteraction(rawBody: string): SlackInteraction {
  const payload = new URLSearchParams(rawBody).get('payload');
  if (payload === null) throw new MalformedEventError('interaction without a payload field');
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new MalformedEventError('interaction payload is not JSON');
  }
  const parsed = BlockActionsSchema.safeParse(json);
  if (!parsed.success)
    throw new MalformedEventError(
      `not a block_actions payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const p = parsed.data;
  const button = p.actions[0]!;
  const action =
    button.action_id === APPROVE_ACTION_ID ? 'approve' : button.action_id === REJECT_ACTION_ID ? 'reject' : undefined;
  if (action === undefined) throw new MalformedEventError(`not a peerkeeper button: ${button.action_id}`);
  if (!button.value) throw new MalformedEventError('button without an approval id');
  const channel = p.container?.channel_id ?? p.channel?.id;
  const messageTs = p.container?.message_ts ?? p.message?.ts;
  if (!channel || !messageTs) throw new MalformedEventError('interaction without a channel and message');
  const name = p.user.name ?? p.user.username;
  return {
    action,
    approvalId: button.value,
    user: { id: p.user.id, ...(name ? { name } : {}) },
    responseUrl: p.response_url,
    channel,
    messageTs,
  };
}

/** What `/peerkeeper <text>` asks for. */
export type SlashRequest =
  | { kind: 'pending' }
  | { kind: 'approve'; approvalId: string; note?: string }
  | { kind: 'reject'; approvalId: string; note?: string }
  | { kind: 'help'; problem?: string };

/** A slash command invocation. */
export interface SlackSlashCommand {
  command: string;
  request: SlashRequest;
  user: { id: string; name?: string };
  channel: string;
  responseUrl?: string;
}

/** The usage line the slash command answers with. */
export const SLASH_USAGE =
  'Usage: `/peerkeeper pending` | `/peerkeeper approve <id> [note]` | `/peerkeeper reject <id> [reason]`';

/** Reads a slash command post (form-encoded: command, text, user_id, user_name, channel_id, response_url). */
export function parseSlashCommand(rawBody: string): SlackSlashCommand {
  const form = new URLSearchParams(rawBody);
  const command = form.get('command');
  const userId = form.get('user_id');
  if (!command || !userId) throw new MalformedEventError('slash command without command or user_id');
  const name = form.get('user_name') ?? undefined;
  const responseUrl = form.get('response_url') ?? undefined;
  return {
    command,
    request: parseSlashText(form.get('text') ?? ''),
    user: { id: userId, ...(name ? { name } : {}) },
    channel: form.get('channel_id') ?? '',
    ...(responseUrl ? { responseUrl } : {}),
  };
}

/** `pending` | `approve <id> [note]` | `reject <id> [reason]`; anything else is help. */
export function parseSlashText(text: string): SlashRequest {
  const [verb = '', id, ...rest] = text.trim().split(/\s+/);
  const note = rest.join(' ').trim();
  switch (verb.toLowerCase()) {
    case 'pending':
    case 'list':
      return { kind: 'pending' };
    case 'approve':
    case 'reject':
      if (!id) return { kind: 'help', problem: `\`${verb.toLowerCase()}\` needs an approval id` };
      return { kind: verb.toLowerCase() as 'approve' | 'reject', approvalId: id, ...(note ? { note } : {}) };
    case '':
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'help', problem: `unknown subcommand \`${verb}\`` };
  }
}
