/**
 * Idempotency on event ids: a handler skips an event whose id it already processed to the end.
 * Only completed work is remembered, so a failed attempt is redone on redelivery; two concurrent
 * deliveries of one event may both run, which is harmless because reconcile is level-triggered.
 */
export interface IdempotencyStore {
  /** True when `key` was remembered and has not expired at `now`. */
  seen(key: string, now: Date): Promise<boolean>;
  /** Remembers `key` until `now + ttlSeconds`. Remembering twice is not an error. */
  remember(key: string, now: Date, ttlSeconds: number): Promise<void>;
}

/** Event Grid retries for up to 24 h (its default retry policy); a day covers every redelivery of an event. */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 86_400;

/**
 * An in-memory TTL set, per function instance. Redeliveries usually land on the instance that saw the
 * first delivery (Event Grid retries within seconds to minutes); one landing elsewhere is re-reconciled,
 * which makes zero writes on a converged scope. Bounded: the oldest keys go first past `maxKeys`.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly maxKeys = 10_000) {}

  async seen(key: string, now: Date): Promise<boolean> {
    const expiry = this.expiries.get(key);
    if (expiry === undefined) return false;
    if (expiry > now.getTime()) return true;
    this.expiries.delete(key);
    return false;
  }

  async remember(key: string, now: Date, ttlSeconds: number): Promise<void> {
    this.expiries.delete(key);
    this.expiries.set(key, now.getTime() + ttlSeconds * 1000);
    // Map iteration is insertion order: the first key is the one remembered longest ago.
    while (this.expiries.size > this.maxKeys) this.expiries.delete(this.expiries.keys().next().value!);
  }

  /** How many keys are held (for tests and metrics). */
  get size(): number {
    return this.expiries.size;
  }
}
