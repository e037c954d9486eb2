import { declareRequest, parseDeclareArgs } from '../approvals/declare-command';
import type { ApprovalRecord } from '../approvals/record';
import type { SlackHttpRequest, SlackHttpResponse } from '../approvals/slack/endpoint';
import { parseSlackWork, processSlackWork, receiveSlackRequest, type SlackWork } from '../approvals/slack/deferred';
import { MalformedEventError } from '../errors';
import type { ApprovalWiring } from './approvals';

/** What the HTTP half answers, and the work to queue (if any) after answering. */
export interface SlackIntake {
  response: SlackHttpResponse;
  work?: SlackWork;
}

/**
 * The HTTP half of a cloud's Slack endpoint (Azure `app.http`, GCP `http`): verify the signature over the raw
 * body, answer at once, hand back the decision as work to queue. 503 when the deployment has no approvals.
 */
export async function intakeSlackRequest(
  wiring: ApprovalWiring | undefined,
  request: SlackHttpRequest,
  now: Date,
  log: (line: string) => void,
): Promise<SlackIntake> {
  if (!wiring)
    return {
      response: { status: 503, headers: { 'content-type': 'text/plain' }, body: 'approvals are not configured' },
    };
  return receiveSlackRequest(request, {
    signingSecret: (await wiring.signingSecret()) ?? '',
    now,
    service: { pending: async () => (await wiring.service()).pending() },
    log,
  });
}

/** What the worker half came to: a decision recorded (or refused), not configured, or a foreign message. */
export type SlackWorkStatus =
  | { status: 'done' | 'refused'; kind: SlackWork['kind']; reason?: string }
  | { status: 'not-configured' }
  | { status: 'malformed'; error: MalformedEventError };

/**
 * The worker half: parse the queued work (a message peerkeeper did not write is `malformed`, for the caller
 * to dead-letter), record the decision first-writer-wins, reconcile the decided peering, tell the decider.
 */
export async function runSlackWork(
  wiring: ApprovalWiring | undefined,
  input: unknown,
  deps: {
    now: Date;
    reconcile: (record: ApprovalRecord) => Promise<string | undefined>;
  },
): Promise<SlackWorkStatus> {
  if (!wiring) return { status: 'not-configured' };
  let work: SlackWork;
  try {
    work = parseSlackWork(input);
  } catch (error) {
    if (error instanceof MalformedEventError) return { status: 'malformed', error };
    throw error;
  }
  const outcome = await processSlackWork(work, {
    service: await wiring.service(),
    notifier: await wiring.notifier(),
    now: deps.now,
    reconcile: deps.reconcile,
    register: async (args, user, now) => {
      try {
        return (await declareRequest(wiring.declared, parseDeclareArgs(args), { requestedBy: user.id, now })).text;
      } catch (error) {
        if (error instanceof RangeError) return error.message;
        throw error;
      }
    },
  });
  return outcome.ok
    ? { status: 'done', kind: work.kind }
    : { status: 'refused', kind: work.kind, reason: outcome.reason };
}

/** Headers of a fetch-style `Headers` (Azure's HttpRequest) as the record the signature check reads. */
export function headerRecord(headers: Iterable<[string, string]>): Record<string, string> {
  return Object.fromEntries(headers);
}
