import { ConvergedError, RetryableError, TerminalError, type PeerkeeperError } from '../../errors';

/** The parts of a Google error body (`{"error":{"code","message","errors":[{"reason"}],"status"}}`) we act on. */
export interface GoogleErrorParts {
  httpStatus: number;
  reason: string | undefined;
  message: string;
  retryAfterMs?: number;
}

/** Reads a Google JSON error body; tolerant of HTML or empty bodies from proxies. */
export function parseGoogleError(httpStatus: number, text: string, retryAfter?: string | null): GoogleErrorParts {
  let reason: string | undefined;
  let message = text.slice(0, 300) || `HTTP ${httpStatus}`;
  try {
    const body = JSON.parse(text) as { error?: { message?: string; status?: string; errors?: { reason?: string }[] } };
    reason = body.error?.errors?.[0]?.reason ?? body.error?.status;
    message = body.error?.message ?? message;
  } catch {
    /* not JSON: keep the raw text */
  }
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  return { httpStatus, reason, message, ...(Number.isFinite(seconds) ? { retryAfterMs: seconds * 1000 } : {}) };
}

/** Reasons Google uses for throttling and transient failures. */
const RETRYABLE_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'backendError',
  'internalError',
  'resourceNotReady',
  'RESOURCE_NOT_READY',
  'UNAVAILABLE',
  'RESOURCE_EXHAUSTED',
  'ABORTED',
]);
/** Compute's answer while another peering (or route) operation holds the local or peer network. */
const IN_PROGRESS = /operation in progress on the local or peer network|is not ready/i;

/**
 * Maps a Google error to peerkeeper's typed errors: throttling, 5xx, not-ready and operation-in-progress
 * are retryable; alreadyExists is converged; everything else (notFound included) is terminal — callers
 * that delete turn a notFound into converged themselves.
 */
export function toPeerkeeperError(e: GoogleErrorParts, what: string): PeerkeeperError {
  const code = e.reason ?? String(e.httpStatus);
  const message = `${what}: ${e.message}`;
  if (
    e.httpStatus === 429 ||
    e.httpStatus >= 500 ||
    (e.reason !== undefined && RETRYABLE_REASONS.has(e.reason)) ||
    IN_PROGRESS.test(e.message)
  ) {
    return new RetryableError(message, {
      code,
      ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    });
  }
  // Only "already exists" is convergence. Any other 409 (resourceInUseByAnotherResource, a fingerprint
  // or CONSENSUS conflict) is a real conflict: reporting it as converged would hide it.
  if (e.reason === 'alreadyExists' || e.reason === 'RESOURCE_ALREADY_EXISTS')
    return new ConvergedError(message, { code: 'alreadyExists' });
  if (e.httpStatus === 409) return new TerminalError(message, { code: e.reason ?? 'conflict' });
  if (e.httpStatus === 404 || e.reason === 'notFound' || e.reason === 'RESOURCE_NOT_FOUND')
    return new TerminalError(message, { code: 'notFound' });
  return new TerminalError(message, { code });
}

/**
 * Maps the error of an operation that finished DONE with `error.errors[0]`. The operation's own
 * `httpErrorStatusCode` (404, 409, 400, 403, 5xx …) classifies it; without one, the code decides.
 */
export function operationError(
  err: { code?: string; message?: string },
  what: string,
  httpErrorStatusCode?: number,
): PeerkeeperError {
  const code = err.code ?? 'UNKNOWN';
  const httpStatus =
    httpErrorStatusCode ?? (code === 'RESOURCE_NOT_FOUND' ? 404 : code === 'RESOURCE_ALREADY_EXISTS' ? 409 : 400);
  return toPeerkeeperError({ httpStatus, reason: code, message: err.message ?? code }, what);
}

/** True for the notFound a delete or remove treats as converged. */
export function isNotFound(e: unknown): boolean {
  return e instanceof TerminalError && e.code === 'notFound';
}
