import { GcsObjects, type GcsOptions } from '../stores/gcs-objects';

/**
 * Event ids already handled to completion, for idempotency on redelivery (Eventarc and Pub/Sub deliver
 * at least once). Only successes are recorded, so a retried failure runs again; two deliveries racing
 * each other may both run, which is harmless because reconcile is level-triggered (the second converges).
 */
export interface ProcessedEvents {
  /** True when `id` completed before and its record has not expired. */
  has(id: string): Promise<boolean>;
  /** Records `id` as completed; recording it twice is a no-op. */
  add(id: string): Promise<void>;
}

/**
 * In-process record with a TTL: enough within one instance (redeliveries usually land on the warm
 * instance within seconds). Bounded: the oldest entries are dropped past `max`.
 */
export class MemoryProcessedEvents implements ProcessedEvents {
  private readonly seen = new Map<string, number>();

  /** `ttlMs` defaults to 1 h (Eventarc retries back off to 10 min); `max` to 10,000 ids (~1 MB). */
  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly ttlMs = 3_600_000,
    private readonly max = 10_000,
  ) {}

  async has(id: string): Promise<boolean> {
    const at = this.seen.get(id);
    if (at === undefined) return false;
    if (this.now().getTime() - at < this.ttlMs) return true;
    this.seen.delete(id);
    return false;
  }

  async add(id: string): Promise<void> {
    this.seen.delete(id);
    this.seen.set(id, this.now().getTime());
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
  }
}

/**
 * Processed ids as Cloud Storage objects `<prefix>events/<id>`, created with `ifGenerationMatch=0`
 * (a second add gets 412 and is a no-op). Shared by every instance. Expiry is the bucket's lifecycle rule
 * (infra/gcp deletes `events/` objects after 1 day), so `has` needs only one metadata read.
 */
export class GcsProcessedEvents implements ProcessedEvents {
  private readonly objects: GcsObjects;
  private readonly prefix: string;

  constructor(options: GcsOptions & { prefix?: string }) {
    this.objects = new GcsObjects(options);
    this.prefix = `${options.prefix ?? ''}events/`;
  }

  async has(id: string): Promise<boolean> {
    return (await this.objects.read(this.nameOf(id))) !== undefined;
  }

  async add(id: string): Promise<void> {
    await this.objects.write(this.nameOf(id), '{}', '0');
  }

  private nameOf(id: string): string {
    return `${this.prefix}${encodeURIComponent(id)}`;
  }
}
