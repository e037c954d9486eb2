import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleSlackRequest, type ApprovalRecord, type ApprovalService, type Notifier } from '../../shared/approvals';
import { readBody } from './request-body';

/** A running approval endpoint: `url` is what a Slack app's Interactivity Request URL would be set to. */
export interface ApprovalEndpoint {
  url: string;
  /** Resolves when every reconcile started by a decision has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The approval HTTP function of the local cloud: the real `handleSlackRequest` (signature over the raw body,
 * approver checks, first-writer-wins decision) behind a loopback server. It answers at once, like the cloud
 * functions must within Slack's 3 s, and then reconciles the decided peering through that cloud's runtime; when
 * the decision could not be carried out (the request became unsafe meanwhile), the decider is told why, ephemerally.
 */
export async function startApprovalEndpoint(opts: {
  signingSecret: string;
  service: ApprovalService;
  notifier: Notifier;
  /** Reconciles the decided peering; returns what the decider must be told when it was not carried out. */
  reconcile: (record: ApprovalRecord) => Promise<string | undefined>;
  log: (line: string) => void;
  /** The clock signatures and decisions are judged by (default: the wall clock). */
  now?: () => Date;
}): Promise<ApprovalEndpoint> {
  const now = opts.now ?? (() => new Date());
  const inflight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const rawBody = await readBody(req);
        const { response, reconcile } = await handleSlackRequest(
          { rawBody, headers: req.headers },
          {
            signingSecret: opts.signingSecret,
            service: opts.service,
            notifier: opts.notifier,
            now: now(),
            log: opts.log,
          },
        );
        res.writeHead(response.status, response.headers).end(response.body);
        if (reconcile) {
          const decided = reconcile;
          const work = opts
            .reconcile(decided)
            .then(async (problem) => {
              if (problem === undefined || decided.decidedBy === undefined) return;
              await opts.notifier.tell(
                { user: decided.decidedBy, ...(decided.message ? { channel: decided.message.channel } : {}) },
                problem,
              );
            })
            .catch((error: unknown) =>
              opts.log(
                `approval ${reconcile.id}: reconcile failed: ${error instanceof Error ? error.message : String(error)}`,
              ),
            );
          inflight.add(work);
          void work.finally(() => inflight.delete(work));
        }
      } catch (error) {
        opts.log(`approval endpoint: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) res.writeHead(500).end('internal error');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return {
    url,
    settled: async () => {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
