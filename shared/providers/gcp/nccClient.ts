import { RetryableError, TerminalError, type PeerkeeperError } from '../../errors';
import type { ComputeClient } from './client';
import { toPeerkeeperError } from './errors';

/** google.longrunning.Operation as Network Connectivity returns it. */
export interface NccOperation {
  name: string;
  done?: boolean;
  error?: { code?: number; message?: string };
  response?: Record<string, unknown>;
}

/** google.rpc.Code → the HTTP status and canonical name the REST mapping gives it. */
const RPC: Record<number, [number, string]> = {
  1: [499, 'CANCELLED'],
  3: [400, 'INVALID_ARGUMENT'],
  4: [504, 'DEADLINE_EXCEEDED'],
  5: [404, 'NOT_FOUND'],
  6: [409, 'ALREADY_EXISTS'],
  7: [403, 'PERMISSION_DENIED'],
  8: [429, 'RESOURCE_EXHAUSTED'],
  9: [400, 'FAILED_PRECONDITION'],
  10: [409, 'ABORTED'],
  13: [500, 'INTERNAL'],
  14: [503, 'UNAVAILABLE'],
};

/** The error an operation ended with, classified as the same status on a direct call would be. */
export function nccOperationError(err: { code?: number; message?: string }, what: string): PeerkeeperError {
  const [httpStatus, reason] = RPC[err.code ?? 2] ?? [500, 'UNKNOWN'];
  return toPeerkeeperError({ httpStatus, reason, message: err.message ?? reason }, what);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** GET one Network Connectivity resource. */
export function nccGet<T>(client: ComputeClient, path: string, deadline?: number): Promise<T> {
  return client.send<T>('GET', client.nccUrl(path), undefined, deadline);
}

/** Every page of a Network Connectivity list (`pageToken` / `nextPageToken`). */
export function nccList<P extends { nextPageToken?: string }, T>(
  client: ComputeClient,
  path: string,
  pick: (page: P) => T[],
  deadline?: number,
): Promise<T[]> {
  return client.listAll<P, T>(client.nccUrl(path), pick, deadline);
}

/**
 * Starts a write and polls `operations.get` until the operation is done (NCC has no `wait`). Past the deadline the
 * operation keeps running in the cloud and a RetryableError says so: the retried action re-reads and converges.
 */
export async function nccMutate(
  client: ComputeClient,
  verb: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  deadline: number,
): Promise<NccOperation> {
  const what = `${verb} ${path.replace(/\?.*$/, '')}`;
  let op = await client.send<NccOperation>(verb, client.nccUrl(path), body, deadline);
  let wait = client.operationPollMs;
  while (!op.done) {
    if (!op.name) throw new TerminalError(`${what}: the answer is not an operation`, { code: 'NO_OPERATION' });
    if (Date.now() + wait >= deadline)
      throw new RetryableError(`${what}: operation ${op.name} still running at the deadline`, {
        code: 'OPERATION_PENDING',
      });
    await sleep(wait);
    wait = Math.min(wait * 2, client.operationPollMs * 8);
    op = await client.send<NccOperation>('GET', client.nccUrl(op.name), undefined, deadline);
  }
  if (op.error && (op.error.code ?? 0) !== 0) throw nccOperationError(op.error, what);
  return op;
}

/** True for the 403 of a project where the Network Connectivity API is not enabled: it holds no hubs or spokes. */
export function isServiceDisabled(e: unknown): boolean {
  return e instanceof TerminalError && /SERVICE_DISABLED|has not been used in project|it is disabled/i.test(e.message);
}
