import { MalformedEventError } from '../../errors';
import type { Notifier } from '../notifier';
import type { ApprovalRecord } from '../record';
import type { ApprovalService } from '../service';
import { parseInteraction, parseSlashCommand, SLASH_USAGE } from './parse';
import { headerValue, SlackSignatureError, verifySlackSignature } from './signature';

/** An HTTP request as every function runtime can give it: the raw body, untouched, and the headers. */
export interface SlackHttpRequest {
  rawBody: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface SlackHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The HTTP answer, and the approval whose peering the caller should reconcile now (after a decision). */
export interface SlackEndpointResult {
  response: SlackHttpResponse;
  reconcile?: ApprovalRecord;
}

export interface SlackEndpointDeps {
  /** Never logged. */
  signingSecret: string;
  service: ApprovalService;
  /** Delivers ephemeral answers to button clicks (through the click's response_url). */
  notifier: Notifier;
  now: Date;
  log?: (line: string) => void;
}

/**
 * The one Slack endpoint (interactivity and the slash command share it): verifies the signature over
 * the raw body before reading anything, then records the decision. Button clicks get 200 at once and,
 * when refused, an ephemeral answer via response_url; the slash command gets its answer in the body.
 * The work is 3–4 store and Slack calls, well inside Slack's 3 s limit.
 */
export async function handleSlackRequest(
  request: SlackHttpRequest,
  deps: SlackEndpointDeps,
): Promise<SlackEndpointResult> {
  const log = deps.log ?? (() => undefined);
  const refused = refuseUnsigned(request, deps.signingSecret, deps.now, log);
  if (refused) return { response: refused };
  try {
    const form = new URLSearchParams(request.rawBody);
    if (form.has('payload')) return await interaction(request.rawBody, deps);
    if (form.has('command')) return await slashCommand(request.rawBody, deps);
    throw new MalformedEventError('neither an interaction nor a slash command');
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    log(`slack: malformed request: ${error.message}`);
    return { response: text(400, 'malformed request') };
  }
}

async function interaction(rawBody: string, deps: SlackEndpointDeps): Promise<SlackEndpointResult> {
  const click = parseInteraction(rawBody);
  const outcome = await deps.service.handleDecision({
    approvalId: click.approvalId,
    decision: click.action,
    user: click.user,
    now: deps.now,
    via: 'slack',
  });
  if (!outcome.ok)
    await deps.notifier.tell(
      { user: click.user.id, channel: click.channel, responseUrl: click.responseUrl },
      outcome.text,
    );
  return { response: text(200, ''), ...(outcome.ok ? { reconcile: outcome.record } : {}) };
}

async function slashCommand(rawBody: string, deps: SlackEndpointDeps): Promise<SlackEndpointResult> {
  const command = parseSlashCommand(rawBody);
  const { request } = command;
  switch (request.kind) {
    case 'help':
      return { response: ephemeral(request.problem ? `${request.problem}. ${SLASH_USAGE}` : SLASH_USAGE) };
    case 'pending': {
      const pending = await deps.service.pending();
      const lines = pending.map(
        (r) =>
          `• \`${r.id}\` ${r.cloud} ${r.peeringId}: ${r.requesterName ?? r.requester.id} (${r.requester.account}) → ${r.accepterName ?? r.accepter.id} (${r.accepter.account}), expires ${r.expiresAt}`,
      );
      return {
        response: ephemeral(
          lines.length === 0 ? 'No pending peering approvals.' : `${lines.length} pending:\n${lines.join('\n')}`,
        ),
      };
    }
    case 'approve':
    case 'reject': {
      const outcome = await deps.service.handleDecision({
        approvalId: request.approvalId,
        decision: request.kind,
        user: command.user,
        now: deps.now,
        via: 'slack',
        ...(request.note ? { note: request.note } : {}),
      });
      return { response: ephemeral(outcome.text), ...(outcome.ok ? { reconcile: outcome.record } : {}) };
    }
  }
}

function ephemeral(message: string): SlackHttpResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', text: message }),
  };
}

/** Verifies the signature over the raw body before anything reads it; the 401 to answer when it fails. */
export function refuseUnsigned(
  request: SlackHttpRequest,
  signingSecret: string,
  now: Date,
  log: (line: string) => void,
): SlackHttpResponse | undefined {
  try {
    verifySlackSignature({
      rawBody: request.rawBody,
      signingSecret,
      now,
      timestamp: headerValue(request.headers, 'x-slack-request-timestamp'),
      signature: headerValue(request.headers, 'x-slack-signature'),
    });
    return undefined;
  } catch (error) {
    if (!(error instanceof SlackSignatureError)) throw error;
    log(`slack: refused request: ${error.message}`);
    return text(401, 'invalid request signature');
  }
}

/** A plain-text HTTP answer. */
export function text(status: number, body: string): SlackHttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}
