/**
 * Typed errors (DESIGN §2 rule 7): retryable errors are retried with backoff; terminal errors are
 * reported and dead-lettered, never retried forever. Each class spells its `name` out: the function bundles
 * are minified, so a class's own name (`new.target.name`) would reach logs and dead letters as `tx`.
 */
export abstract class PeerkeeperError extends Error {
  abstract readonly retryable: boolean;
  /** The cloud's own error code, when there is one (e.g. `RequestLimitExceeded`). */
  readonly code: string | undefined;
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code;
  }
}

/** Throttling, 5xx, eventual consistency: try again later. */
export class RetryableError extends PeerkeeperError {
  override readonly name: string = 'RetryableError';
  readonly retryable = true;
  /** Server-suggested wait (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options?: { code?: string; cause?: unknown; retryAfterMs?: number }) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** Bad input, denied by the cloud or by policy: retrying cannot help. */
export class TerminalError extends PeerkeeperError {
  override readonly name: string = 'TerminalError';
  readonly retryable = false;
}

/** An event peerkeeper cannot read; dead-lettered with this message. */
export class MalformedEventError extends TerminalError {
  override readonly name: string = 'MalformedEventError';
}

/** A policy file that fails validation; `issues` carries every problem with file, line and path. */
export class PolicyError extends TerminalError {
  override readonly name: string = 'PolicyError';
  constructor(
    message: string,
    readonly issues: readonly { file: string; line: number; column: number; path: string; message: string }[],
  ) {
    super(message);
  }
}

/** The cloud says the thing already is as wanted (already exists / not found on delete). */
export class ConvergedError extends PeerkeeperError {
  override readonly name: string = 'ConvergedError';
  readonly retryable = false;
}

/** The precondition of an action no longer holds: the action is stale and skipped, not forced. */
export class StaleActionError extends PeerkeeperError {
  override readonly name: string = 'StaleActionError';
  readonly retryable = false;
}

/** True when an unknown thrown value should be retried. */
export function isRetryable(error: unknown): boolean {
  return error instanceof PeerkeeperError && error.retryable;
}
