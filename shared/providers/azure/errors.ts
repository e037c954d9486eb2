import { ConvergedError, type PeerkeeperError, RetryableError, TerminalError } from '../../errors';

/**
 * ARM error codes that mean "try again later": another write on the same VNet is running, a referenced
 * resource is still provisioning, or the resource provider says so itself.
 */
const RETRYABLE_CODES = new Set([
  'AnotherOperationInProgress',
  'RetryableError',
  'ReferencedResourceNotProvisioned',
  'OperationNotAllowedWhileProvisioning',
  'InternalServerError',
  'ServiceUnavailable',
  'GatewayTimeout',
  'OperationTimedOut',
  'SubscriptionRequestsThrottled',
  'TooManyRequests',
]);

/** The `{"error":{"code","message"}}` body ARM sends with a failure (or an LRO's `error`). */
export function armErrorBody(body: unknown): { code: string | undefined; message: string | undefined } {
  const error = body !== null && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (error === null || typeof error !== 'object') return { code: undefined, message: undefined };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : undefined,
  };
}

/**
 * `Retry-After` in ms: ARM sends seconds; `retry-after-ms` / `x-ms-retry-after-ms` in ms; an HTTP date
 * is also legal. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Readonly<Record<string, string | undefined>>, now: number): number | undefined {
  const ms = headers['retry-after-ms'] ?? headers['x-ms-retry-after-ms'];
  if (ms !== undefined && /^\d+$/.test(ms)) return Number(ms);
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Maps a failed ARM response to peerkeeper's typed errors (DESIGN §2 rule 7). */
export function armError(
  method: string,
  url: string,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string | undefined>>,
  now: number,
): PeerkeeperError {
  const { code, message } = armErrorBody(body);
  const what = `${method} ${new URL(url).pathname} → ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
  const options = { code: code ?? `Http${status}` };
  if (status === 429 || status >= 500 || (code !== undefined && RETRYABLE_CODES.has(code))) {
    const wait = retryAfterMs(headers, now);
    return new RetryableError(`Azure ${what}`, wait === undefined ? options : { ...options, retryAfterMs: wait });
  }
  if (status === 404 && method.toUpperCase() === 'DELETE')
    return new ConvergedError(`Azure ${what} (already gone)`, options);
  return new TerminalError(`Azure ${what}`, options);
}

/** Maps a failed long-running operation (`{"status":"Failed","error":{…}}`) to a typed error. */
export function lroError(url: string, status: string, body: unknown): PeerkeeperError {
  const { code, message } = armErrorBody(body);
  const text = `Azure operation ${new URL(url).pathname} ended ${status}${code ? ` (${code})` : ''}${message ? `: ${message}` : ''}`;
  const options = { code: code ?? `Operation${status}` };
  return code !== undefined && RETRYABLE_CODES.has(code)
    ? new RetryableError(text, options)
    : new TerminalError(text, options);
}

/** A transport failure (connection refused/reset, timeout): retryable. */
export function transportError(method: string, url: string, cause: unknown): RetryableError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new RetryableError(`Azure ${method} ${new URL(url).pathname} failed: ${reason}`, {
    code: 'NetworkError',
    cause,
  });
}
