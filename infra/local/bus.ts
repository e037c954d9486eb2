import type { Cloud } from '../../shared/model';

/** Where a cloud's events go: the real function handler that cloud's event router would invoke. */
export type EventTarget = (event: unknown) => Promise<unknown>;

/** Deliveries of one event before it is given up (the sweep repairs what is left). */
const REDELIVERIES = 3;

/** One delivery, for the narration and the tests. */
export interface Delivery {
  cloud: Cloud;
  /** What the event said (CloudTrail eventName, ARM operation, audit-log method). */
  what: string;
  /** The handler's answer: `reconciled`, `ignored`, `duplicate`, `dead-lettered`, or `error: …`. */
  status: string;
  writes: number;
  ms: number;
}

/** What the event is about, in the words of its own envelope. */
export function describeEvent(cloud: Cloud, event: unknown): string {
  const e = (event ?? {}) as Record<string, unknown>;
  const data = (e.data ?? {}) as Record<string, unknown>;
  const detail = (e.detail ?? {}) as Record<string, unknown>;
  if (cloud === 'aws') return String(detail.eventName ?? e['detail-type'] ?? 'event');
  if (cloud === 'azure') return String(data.operationName ?? e.eventType ?? 'event');
  const proto = (data.protoPayload ?? {}) as Record<string, unknown>;
  return String(proto.methodName ?? e.type ?? 'event');
}

/**
 * The local event bus: every emulator event, in its native envelope (EventBridge, Event Grid, CloudEvents),
 * is delivered to the real handler of its cloud, one at a time and in order — like one rule per cloud with a
 * single consumer. Events the handlers' own writes cause come back around and are ignored by identity.
 * `filter` drops what the real router would never see (AWS: calls made in accounts outside the organization).
 */
export class LocalBus {
  readonly deliveries: Delivery[] = [];
  private readonly queue: { cloud: Cloud; event: unknown }[] = [];
  private running: Promise<void> | undefined;
  private paused = false;

  constructor(
    private targets: Partial<Record<Cloud, EventTarget>>,
    private readonly filter: (cloud: Cloud, event: unknown) => boolean = () => true,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Connects the handlers (they are built after the emulators whose events they receive). */
  attach(targets: Partial<Record<Cloud, EventTarget>>): void {
    this.targets = { ...this.targets, ...targets };
  }

  /** Queues an event and starts delivering (unless paused). */
  publish(cloud: Cloud, event: unknown): void {
    if (!this.targets[cloud] || !this.filter(cloud, event)) return;
    this.queue.push({ cloud, event });
    if (!this.paused) this.pump();
  }

  /** Holds deliveries (events still queue), e.g. while a scenario step makes several calls. */
  pause(): void {
    this.paused = true;
  }

  /** Resumes delivery and resolves when the queue is empty and nothing is in flight. */
  async resume(): Promise<void> {
    this.paused = false;
    this.pump();
    await this.idle();
  }

  /** Resolves once every queued event (and every event they caused) has been delivered. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Events waiting for delivery (0 while paused: they wait for `resume`, not for time). */
  get pending(): number {
    return this.paused ? 0 : this.queue.length;
  }

  private pump(): void {
    if (this.running) return;
    this.running = (async () => {
      while (!this.paused && this.queue.length > 0) {
        const next = this.queue.shift()!;
        await this.deliver(next.cloud, next.event);
      }
    })().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0 && !this.paused) this.pump();
    });
  }

  private async deliver(cloud: Cloud, event: unknown): Promise<void> {
    const started = Date.now();
    const what = describeEvent(cloud, event);
    let status = 'error';
    let writes = 0;
    // A thrown error is redelivered, like EventBridge / Event Grid / Eventarc retries (there: minutes; here: 100 ms steps).
    for (let attempt = 1; attempt <= REDELIVERIES; attempt++) {
      try {
        const out = ((await this.targets[cloud]!(event)) ?? {}) as { status?: string; writes?: number };
        status = out.status ?? 'done';
        writes += typeof out.writes === 'number' ? out.writes : 0;
        break;
      } catch (error) {
        status = `error: ${error instanceof Error ? error.message : String(error)}`;
        this.log(`${cloud} ${what}: attempt ${attempt}: ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
    this.deliveries.push({ cloud, what, status, writes, ms: Date.now() - started });
  }
}
