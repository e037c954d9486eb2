import { ConvergedError, PeerkeeperError, RetryableError, StaleActionError, TerminalError } from '../../errors';

/** Codes EC2 and STS use for throttling: EC2 allows a burst of 50 mutating calls, then refills 5 per second. */
const THROTTLING = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestThrottled',
  'SlowDown',
]);
/** Server-side trouble worth retrying. */
const SERVER = new Set(['InternalError', 'InternalFailure', 'Unavailable', 'ServiceUnavailable', 'ServerInternal']);
/** Transport failures the SDK surfaces as errors without an AWS code. */
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
]);

/** What an operation treats as "already as wanted" and what as "not visible yet". */
export interface ErrorContext {
  /** The operation, for the message (e.g. `accept-peering`). */
  operation: string;
  /** Codes that mean the change is already in place (e.g. RouteAlreadyExists on create-route). */
  converged?: readonly string[];
  /** Codes that mean the action's precondition no longer holds (e.g. InvalidStateTransition on accept). */
  stale?: readonly string[];
  /** Codes that, right after a create, mean EC2 has not caught up yet (eventual consistency). */
  eventuallyConsistent?: readonly string[];
}

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  $response?: { headers?: Record<string, string | undefined> };
}

/** A `Retry-After` the service sent (seconds, as HTTP says), in ms; undefined when absent or unreadable. */
function retryAfterOf(error: unknown): number | undefined {
  const header = (error as SdkErrorShape | null)?.$response?.headers?.['retry-after'];
  const seconds = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header.trim()) : NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** True for the codes EC2 and STS throttle with. */
export function isThrottling(code: string | undefined): boolean {
  return code !== undefined && THROTTLING.has(code);
}

/** The AWS error code of an SDK error (`name` for modelled and unmodelled service errors alike). */
export function awsErrorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Unknown';
  if (error instanceof PeerkeeperError) return error.code ?? error.name;
  const e = error as SdkErrorShape;
  return e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'Unknown';
}

/**
 * Maps any thrown value to a typed peerkeeper error: converged / retryable (throttling, 5xx, network,
 * eventual consistency) / terminal with the AWS code. Already-typed errors pass through.
 */
export function classifyAwsError(error: unknown, ctx: ErrorContext): PeerkeeperError {
  if (error instanceof PeerkeeperError) return error;
  const code = awsErrorCode(error);
  const status = (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
  const message = `${ctx.operation}: ${code}: ${(error as SdkErrorShape | null)?.message ?? String(error)}`;
  if (ctx.converged?.includes(code)) return new ConvergedError(message, { code, cause: error });
  if (ctx.stale?.includes(code)) return new StaleActionError(message, { code, cause: error });
  if (THROTTLING.has(code) || SERVER.has(code) || NETWORK.has(code) || (status !== undefined && status >= 500)) {
    const wait = retryAfterOf(error);
    return new RetryableError(message, { code, cause: error, ...(wait !== undefined ? { retryAfterMs: wait } : {}) });
  }
  if (ctx.eventuallyConsistent?.includes(code)) return new RetryableError(message, { code, cause: error });
  return new TerminalError(message, { code, cause: error });
}

/**
 * The adapter's retry budget: the one retry layer per call (the SDK's own retries are off, `sdkMaxAttempts` 1,
 * so one throttled operation costs `maxAttempts` calls, not the SDK's 3 × ours).
 */
export interface BackoffOptions {
  /** Attempts per call, including the first (default 4). */
  maxAttempts: number;
  /** Base of the exponential backoff in ms (default 200). */
  baseDelayMs: number;
  /** Ceiling of one wait in ms (default 5000: EC2's bucket refills 5 calls/s, so 5 s buys a fresh burst of 25). */
  maxDelayMs: number;
  /**
   * Least wait after a throttling error, in ms: the time EC2's token bucket takes to refill one token. EC2
   * refills mutating calls at 5 per second (after a burst of 50): 200 ms; non-mutating ones at 20 per second: 50 ms.
   */
  throttleFloorMs?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };
/** EC2's documented refill: mutating actions 5 tokens/s (burst 50), non-mutating 20 tokens/s (burst 100). */
export const EC2_REFILL_MS = { mutating: 1000 / 5, nonMutating: 1000 / 20 } as const;

/**
 * Runs `fn`, retrying retryable failures with full-jitter exponential backoff (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"): wait = random(0, min(cap, base·2^attempt)). Never waits past
 * `deadline`; the last error is rethrown typed.
 */
export async function withBackoff<T>(
  fn: () => Promise<T>,
  ctx: ErrorContext,
  options: BackoffOptions & { deadline?: number; random?: () => number; sleep?: (ms: number) => Promise<void> },
): Promise<T> {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (thrown) {
      const error = classifyAwsError(thrown, ctx);
      if (!error.retryable || attempt + 1 >= options.maxAttempts) throw error;
      const suggested = error instanceof RetryableError ? (error.retryAfterMs ?? 0) : 0;
      const floor = isThrottling(error.code) ? (options.throttleFloorMs ?? 0) : 0;
      const wait = Math.max(
        suggested,
        floor + Math.floor(random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt)),
      );
      if (options.deadline !== undefined && Date.now() + wait >= options.deadline) throw error;
      await sleep(wait);
    }
  }
}
