import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditCloudEvent } from './auditLog';
import { errors, GoogleError } from './googleError';
import { nccAuditCloudEvent } from './ncc-audit';
import { keyOf } from './records';
import { resourceManagerCloudEvent } from './resourceManager';
import { resolveCall } from './router';
import { GcpEmulatorState } from './state';
import { CallCounter, FaultHooks } from './faults';
import { readBody } from '../request-body';

export { GcpEmulatorState } from './state';
export { CallCounter, FaultHooks, type FaultMatch } from './faults';
export { GoogleError, errors as googleErrors } from './googleError';

/** Options of the local Compute emulator. */
export interface GcpEmulatorOptions {
  /** 0 (default) picks a free port; the server binds 127.0.0.1 only. */
  port?: number;
  /** The clock operations and timestamps follow (default: the wall clock). */
  now?: () => Date;
  /** Receives every Cloud Audit Log CloudEvent, as Eventarc would deliver it. */
  onEvent?: (e: unknown) => void;
  /** The caller's identity in audit logs and operations; a request may override it with `x-emulator-principal`. */
  principalEmail?: string;
  /** Longest an `operations.wait` call blocks, in real ms (Compute waits up to 2 minutes; default 2 s here). */
  waitTimeoutMs?: number;
}

/**
 * A running emulator. `url` is the origin; Compute lives at `${url}/compute/v1`, Resource Manager at `${url}/v1` and
 * `${url}/v3`, Network Connectivity at `${url}/networkconnectivity/v1`.
 */
export interface GcpEmulator {
  url: string;
  state: GcpEmulatorState;
  faults: FaultHooks;
  calls: CallCounter;
  close(): Promise<void>;
}

/** The default principal: a service account, like a Cloud Function's runtime identity. */
export const DEFAULT_PRINCIPAL = 'peerkeeper@peerkeeper-local.iam.gserviceaccount.com';

/** Starts the wire-level Compute JSON emulator on 127.0.0.1. */
export async function startGcpEmulator(opts: GcpEmulatorOptions = {}): Promise<GcpEmulator> {
  const now = opts.now ?? (() => new Date());
  let insertSeq = 0;
  const state = new GcpEmulatorState(now, (e) => {
    insertSeq += 1;
    opts.onEvent?.(auditCloudEvent({ ...e, insertId: `pk${insertSeq.toString(36).padStart(8, '0')}`, at: now() }));
  });
  state.onResourceManagerCall = (call) => {
    insertSeq += 1;
    opts.onEvent?.(resourceManagerCloudEvent(call, `rm${insertSeq.toString(36).padStart(8, '0')}`, now()));
  };
  state.ncc.onAudit = (call) => {
    insertSeq += 1;
    opts.onEvent?.(nccAuditCloudEvent(call, `nc${insertSeq.toString(36).padStart(8, '0')}`, now()));
  };
  const faults = new FaultHooks(state);
  const calls = new CallCounter();
  const waitTimeoutMs = opts.waitTimeoutMs ?? 2_000;

  async function waitForOperation(project: string, name: string): Promise<void> {
    const until = Date.now() + waitTimeoutMs;
    for (;;) {
      state.settle();
      if (state.operations.get(keyOf(project, name))?.status === 'DONE' || Date.now() >= until) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const call = resolveCall(req.method ?? 'GET', url.pathname);
    try {
      const raw = await readBody(req);
      if (!call) throw errors.methodNotFound(req.method ?? 'GET', url.pathname);
      calls.record(call.method, call.write);
      const delay = faults.latencyFor(call.method);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const fault = faults.errorFor(call.method);
      if (fault) throw fault;
      let body: Record<string, unknown> = {};
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          throw errors.invalid('Invalid JSON payload received.');
        }
      }
      const principal = req.headers['x-emulator-principal'];
      const user = typeof principal === 'string' && principal ? principal : (opts.principalEmail ?? DEFAULT_PRINCIPAL);
      state.settle();
      send(res, 200, await call.handle({ state, user, body, query: url.searchParams, waitForOperation }));
    } catch (e) {
      const err = e instanceof GoogleError ? e : errors.backend(500);
      if (err.httpStatus === 429) res.setHeader('retry-after', '1');
      send(res, err.httpStatus, err.toBody());
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    faults,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
