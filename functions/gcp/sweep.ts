import type { Request, Response } from '@google-cloud/functions-framework';
import { TerminalError } from '../../shared/errors';
import { approvalsExpiringWithin } from '../../shared/runtime/approvals';
import type { GcpRuntime } from '../../shared/runtime/gcp';
import { idempotent, type RuntimeSource } from './support';

/**
 * The Cloud Scheduler sweep (HTTP, OIDC-authenticated by the platform): events are best effort, the sweep
 * repairs what they missed. It only fans out — one Pub/Sub work message per project — so a 1,000-project
 * organization never has to fit one invocation. Idempotent on the job name + schedule time, so a retried
 * tick does not double the work. Each run (a retried tick too: expiry is idempotent) also closes expired
 * approvals. 500 asks Cloud Scheduler to retry; a terminal error answers 200 (dead-lettered).
 */
export function sweepHandler(runtime: RuntimeSource): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const rt = runtime();
    const job = req.get('x-cloudscheduler-jobname');
    const at = req.get('x-cloudscheduler-scheduletime');
    const eventId = job && at ? `${job}@${at}` : `manual@${new Date().toISOString()}`;
    try {
      const outcome = await idempotent(rt, eventId, async () => ({
        status: 'fanned-out',
        partitions: await rt.fanOut(eventId, at),
      }));
      await expireApprovals(rt);
      // approvalsNearExpiry: the near-expiry alert (infra/gcp log-based metric) reads this field.
      const approvalsNearExpiry = await approvalsExpiringWithin(rt.approvals, rt.now()).catch(() => 0);
      rt.log.info('sweep', { eventId, ...outcome, approvalsNearExpiry });
      res.status(200).json(outcome);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof TerminalError) {
        await rt.deadLetter({ eventId }, error);
        res.status(200).json({ status: 'dead-lettered', reason: message });
        return;
      }
      rt.log.warn('sweep will be retried', { eventId, error: message });
      res.status(500).json({ status: 'retry', reason: message });
    }
  };
}

/** Closes expired approvals once per run; a failure is logged, never fails the sweep (the next run retries). */
async function expireApprovals(rt: GcpRuntime): Promise<void> {
  try {
    const closed = await rt.expireApprovals();
    if (closed > 0) rt.log.info('expired approvals closed', { closed });
  } catch (error) {
    rt.log.warn('closing expired approvals failed; the next sweep retries', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
