import { ArmError } from './armError';
import type { FaultHooks } from './faults';
import type { AzureEmulatorState } from './state';

/** One parsed request, as the handlers see it. */
export interface Exchange {
  method: string;
  /** Decoded path without the query. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** `http://127.0.0.1:port` — for nextLink and operation URLs. */
  baseUrl: string;
  params: Record<string, string>;
}

/** What a resource change means for Event Grid. */
export interface ChangeNotice {
  kind: 'write' | 'delete';
  resourceUri: string;
  operationName: string;
  subscriptionId: string;
}

/** A handler's answer; `change` makes the server emit an event. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  change?: ChangeNotice;
}

export interface HandlerContext {
  state: AzureEmulatorState;
  faults: FaultHooks;
}

export type Handler = (ex: Exchange, ctx: HandlerContext) => Answer;

/** Reads a string field of an untyped JSON object. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function stringField(value: unknown, ...path: string[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

export function booleanField(value: unknown, ...path: string[]): boolean | undefined {
  const found = field(value, ...path);
  return typeof found === 'boolean' ? found : undefined;
}

export function stringList(value: unknown, ...path: string[]): string[] | undefined {
  const found = field(value, ...path);
  return Array.isArray(found) && found.every((x) => typeof x === 'string') ? (found as string[]) : undefined;
}

export function tagsField(value: unknown): Record<string, string> | undefined {
  const found = field(value, 'tags');
  if (found === null || typeof found !== 'object' || Array.isArray(found)) return undefined;
  return Object.fromEntries(Object.entries(found).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** One page of a list, with ARM's `nextLink` when more remain (`$skiptoken` = offset). */
export function page(items: unknown[], ex: Exchange, ctx: HandlerContext): Answer {
  const offset = Number(ex.query.get('$skiptoken') ?? '0') || 0;
  const size = Math.max(1, ctx.faults.pageSize);
  const value = items.slice(offset, offset + size);
  const body: Record<string, unknown> = { value };
  if (offset + size < items.length) {
    const next = new URLSearchParams({
      'api-version': ex.query.get('api-version') ?? '',
      $skiptoken: String(offset + size),
    });
    body.nextLink = `${ex.baseUrl}${ex.path}?${next.toString()}`;
  }
  return { status: 200, body };
}

/**
 * The answer to an accepted write: the resource body plus `Azure-AsyncOperation` to poll, and a lock on
 * `lockKey` until the operation finishes (a second write meanwhile gets 409 AnotherOperationInProgress).
 */
export function startLro(
  ex: Exchange,
  ctx: HandlerContext,
  opts: {
    lockKey: string;
    location: string;
    subscription: string;
    record?: { pendingOp?: string };
    failure?: { code: string; message: string };
  },
): Record<string, string> {
  const op = ctx.state.startOperation(opts.lockKey, opts.location, opts.failure);
  if (opts.record) opts.record.pendingOp = op.id;
  const apiVersion = encodeURIComponent(ex.query.get('api-version') ?? '');
  const base = `${ex.baseUrl}/subscriptions/${opts.subscription}/providers/Microsoft.Network/locations/${opts.location}`;
  return {
    'azure-asyncoperation': `${base}/operations/${op.id}?api-version=${apiVersion}`,
    location: `${base}/operationResults/${op.id}?api-version=${apiVersion}`,
    'retry-after': String(ctx.faults.lroRetryAfterSeconds),
  };
}

/** The error ARM puts in a write's failed operation while another write holds the resource. */
export function anotherOperation(ex: Exchange): { code: string; message: string } {
  return {
    code: 'AnotherOperationInProgress',
    message: `Operation on ${ex.path} was canceled: another operation on this or dependent resource is in progress. Retry the request later.`,
  };
}

/** ARM refuses a write while another operation on the same resource runs. */
export function refuseIfBusy(ctx: HandlerContext, lockKey: string, ex: Exchange): void {
  if (ctx.state.isBusy(lockKey)) {
    throw new ArmError(
      409,
      'AnotherOperationInProgress',
      `Another operation on this or dependent resource is in progress. To retrieve status of the operation use uri: ${ex.baseUrl}${ex.path}`,
    );
  }
}
