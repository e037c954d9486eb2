import type { Request, Response } from '@google-cloud/functions-framework';
import { TerminalError } from '../../shared/errors';
import { idempotent, type RuntimeSource } from './support';

/**
 * The Cloud Scheduler sweep (HTTP, OIDC-authenticated by the platform): events are best effort, the sweep
 * repairs what they missed. It only fans out — one Pub/Sub work message per project — so a 1,000-project
 * organization never has to fit one invocation. Idempotent on the job name + schedule time, so a retried
 * tick does not double the work. 500 asks Cloud Scheduler to retry; a terminal error answers 200 (dead-lettered).
 */
export function sweepHandler(runtime: RuntimeSource): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const rt = runtime();
    const job = req.get('x-cloudscheduler-jobname');
    const at = req.get('x-cloudscheduler-scheduletime');
    const eventId = job && at ? `${job}@${at}` : `manual@${new Date().toISOString()}`;
    try {
      const outcome = await idempotent(rt, eventId, async () => ({ status: 'fanned-out', partitions: await rt.fanOut(eventId, at) }));
      rt.log.info('sweep', { eventId, ...outcome });
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
