import type { Request, Response } from '@google-cloud/functions-framework';
import { intakeSlackRequest } from '../../shared/runtime/approval-intake';
import type { RuntimeSource } from './support';

/**
 * `http` POST: Slack's Interactivity and slash-command Request URL (public; the signature is the
 * authentication). Verifies the signature over the framework's raw body, publishes the decision to the
 * approval topic and answers — publishing before answering, because gen2 throttles the CPU once the response
 * is sent, and a publish (~20–50 ms) fits Slack's 3 s easily. Records nothing itself: the approval worker
 * decides, reconciles and updates the message.
 */
export function approvalHttpHandler(runtime: RuntimeSource): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const rt = runtime();
    // The framework keeps the bytes it parsed; Slack signs exactly those. A missing rawBody (no body) is ''.
    const rawBody = req.rawBody?.toString('utf8') ?? '';
    const { response, work } = await intakeSlackRequest(
      rt.approvals,
      { rawBody, headers: req.headers },
      rt.now(),
      (line) => rt.log.warn(line),
    );
    if (work) {
      try {
        await rt.enqueueApproval(work);
      } catch (error) {
        rt.log.error('queueing the Slack request failed; Slack shows the clicker an error, a retry click is safe', {
          kind: work.kind,
          error: error instanceof Error ? error.message : String(error),
        });
        res.status(503).set('content-type', 'text/plain').send('peerkeeper could not queue this request; try again');
        return;
      }
    }
    rt.log.info('slack request', { status: response.status, queued: work?.kind ?? null });
    res.status(response.status).set(response.headers).send(response.body);
  };
}
