import { z } from 'zod';
import { MalformedEventError } from '../../errors';
import type { Scope } from '../../model';
import type { DecisionOutcome, ApprovalService } from '../service';
import type { Notifier } from '../notifier';
import type { ApprovalRecord } from '../record';
import { parseInteraction, parseSlashCommand, SLASH_USAGE } from './parse';
import { refuseUnsigned, text as plain, type SlackHttpRequest, type SlackHttpResponse } from './endpoint';

/**
 * The work a verified Slack request leaves for after the HTTP answer: a decision to record (button click or
 * `/peerkeeper approve|reject`), or a partner request to register (`/peerkeeper request …`). It travels
 * through a queue or an async self-invoke, so it holds only what the signed request said.
 */
export const SlackWorkSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('slack-decision'),
    approvalId: z.string().min(1),
    decision: z.enum(['approve', 'reject']),
    user: z.object({ id: z.string().min(1), name: z.string().optional() }),
    note: z.string().optional(),
    reply: z.object({ user: z.string().min(1), channel: z.string().optional(), responseUrl: z.string().optional() }),
    /** When Slack delivered the click (ISO): a click before the expiry counts even if the worker runs after it. */
    receivedAt: z.string().min(1),
  }),
  z.object({
    kind: z.literal('slack-request'),
    /** The text after `request` (`--from … --to … --cidrs …`), parsed by the worker. */
    args: z.string(),
    user: z.object({ id: z.string().min(1), name: z.string().optional() }),
    reply: z.object({ user: z.string().min(1), channel: z.string().optional(), responseUrl: z.string().optional() }),
    receivedAt: z.string().min(1),
  }),
]);
export type SlackWork = z.infer<typeof SlackWorkSchema>;

/** What the endpoint answers now, and the work to do after answering (none when refused or answered inline). */
export interface SlackIntakeResult {
  response: SlackHttpResponse;
  work?: SlackWork;
}

export interface SlackIntakeDeps {
  /** Never logged. */
  signingSecret: string;
  /** Only `/peerkeeper pending` reads it inline (one store query); everything else is deferred. */
  service: Pick<ApprovalService, 'pending'>;
  now: Date;
  log?: (line: string) => void;
}

/**
 * The synchronous half of the interactive endpoint: verifies the signature over the raw body before reading
 * anything, parses, and answers at once (Slack waits 3 s; the clouds' cold starts eat most of it). The
 * decision itself is returned as `work` for the worker half, `processSlackWork`.
 */
export async function receiveSlackRequest(
  request: SlackHttpRequest,
  deps: SlackIntakeDeps,
): Promise<SlackIntakeResult> {
  const log = deps.log ?? (() => undefined);
  const refused = refuseUnsigned(request, deps.signingSecret, deps.now, log);
  if (refused) return { response: refused };
  const receivedAt = deps.now.toISOString();
  try {
    const form = new URLSearchParams(request.rawBody);
    if (form.has('payload')) {
      const click = parseInteraction(request.rawBody);
      return {
        response: plain(200, ''),
        work: {
          kind: 'slack-decision',
          approvalId: click.approvalId,
          decision: click.action,
          user: click.user,
          reply: { user: click.user.id, channel: click.channel, responseUrl: click.responseUrl },
          receivedAt,
        },
      };
    }
    if (!form.has('command')) throw new MalformedEventError('neither an interaction nor a slash command');
    const command = parseSlashCommand(request.rawBody);
    const reply = {
      user: command.user.id,
      ...(command.channel ? { channel: command.channel } : {}),
      ...(command.responseUrl ? { responseUrl: command.responseUrl } : {}),
    };
    const text = (form.get('text') ?? '').trim();
    if (/^request(\s|$)/i.test(text)) {
      return {
        response: ephemeral('Registering the request…'),
        work: { kind: 'slack-request', args: text.replace(/^request\s*/i, ''), user: command.user, reply, receivedAt },
      };
    }
    const { request: asked } = command;
    switch (asked.kind) {
      case 'help':
        return { response: ephemeral(asked.problem ? `${asked.problem}. ${SLASH_USAGE}` : SLASH_USAGE) };
      case 'pending':
        return { response: ephemeral(pendingText(await deps.service.pending())) };
      case 'approve':
      case 'reject':
        return {
          response: ephemeral(
            `Recording your ${asked.kind === 'approve' ? 'approval' : 'rejection'} of \`${asked.approvalId}\`…`,
          ),
          work: {
            kind: 'slack-decision',
            approvalId: asked.approvalId,
            decision: asked.kind,
            user: command.user,
            ...(asked.note ? { note: asked.note } : {}),
            reply,
            receivedAt,
          },
        };
    }
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    log(`slack: malformed request: ${error.message}`);
    return { response: plain(400, 'malformed request') };
  }
}

/** The `/peerkeeper pending` answer. */
export function pendingText(pending: readonly ApprovalRecord[]): string {
  const lines = pending.map(
    (r) =>
      `• \`${r.id}\` ${r.cloud} ${r.peeringId}: ${r.requesterName ?? r.requester.id} (${r.requester.account}) → ${r.accepterName ?? r.accepter.id} (${r.accepter.account}), expires ${r.expiresAt}`,
  );
  return lines.length === 0 ? 'No pending peering approvals.' : `${lines.length} pending:\n${lines.join('\n')}`;
}

/** Reads work a queue or self-invoke delivered; anything else is malformed (dead-lettered, never retried). */
export function parseSlackWork(input: unknown): SlackWork {
  const parsed = SlackWorkSchema.safeParse(typeof input === 'string' ? safeJson(input) : input);
  if (!parsed.success)
    throw new MalformedEventError(
      `not approval work: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The peering scope a decided approval reconciles: the accepter's side, where the accept happens. */
export function approvalScope(
  record: Pick<ApprovalRecord, 'cloud' | 'accepter' | 'requester' | 'peeringId' | 'link'>,
): Scope {
  // An attachment is decided from the spoke's side: its scope reads the spoke and the hub, and creates or accepts.
  if (record.link === 'attachment') return { kind: 'network', network: record.requester };
  return {
    kind: 'peering',
    cloud: record.cloud,
    account: record.accepter.account,
    region: record.accepter.region,
    peeringId: record.peeringId,
  };
}

export interface SlackWorkDeps {
  service: Pick<ApprovalService, 'handleDecision'>;
  notifier: Notifier;
  now: Date;
  /** Reconciles the decided peering; returns a line for the decider when the decision could not be carried out. */
  reconcile: (record: ApprovalRecord) => Promise<string | undefined>;
  /** Registers a partner request (`/peerkeeper request …`); returns the answer. Absent: not supported here. */
  register?: (args: string, user: { id: string; name?: string }, now: Date) => Promise<string>;
}

/**
 * The worker half: records the decision (first writer wins; the service updates the message), tells a
 * refused or late clicker why ("already approved by … at …"), then reconciles the peering with the decision.
 */
export async function processSlackWork(
  work: SlackWork,
  deps: SlackWorkDeps,
): Promise<DecisionOutcome | { ok: true; text: string; reconcile: false }> {
  if (work.kind === 'slack-request') {
    const text = deps.register
      ? await deps.register(work.args, work.user, deps.now)
      : 'Registering requests is not enabled in this deployment; use `peerkeeper request`.';
    await deps.notifier.tell(work.reply, text);
    return { ok: true, text, reconcile: false };
  }
  const at = new Date(Math.min(Date.parse(work.receivedAt), deps.now.getTime()));
  const outcome = await deps.service.handleDecision({
    approvalId: work.approvalId,
    decision: work.decision,
    user: work.user,
    now: at,
    via: 'slack',
    ...(work.note ? { note: work.note } : {}),
  });
  if (!outcome.ok) {
    await deps.notifier.tell(work.reply, outcome.text);
    return outcome;
  }
  const problem = await deps.reconcile(outcome.record);
  await deps.notifier.tell(work.reply, problem ?? outcome.text);
  return outcome;
}

function ephemeral(message: string): SlackHttpResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', text: message }),
  };
}
