import { errors, GoogleError } from './googleError';
import type { GcpEmulatorState } from './state';

/** Which calls a fault applies to: a Compute method id (`compute.routes.list`), or every call. */
export interface FaultMatch {
  method?: string;
  /** How many matching calls fail (default 1). */
  times?: number;
  /** How many matching calls pass before the first failure (default 0): e.g. fail page 2 of a list. */
  skip?: number;
}

interface Rule {
  method: string | undefined;
  remaining: number;
  skip: number;
  make: () => GoogleError;
}

/** Chaos hooks: throttling, 5xx, latency, delayed visibility, failing operations. */
export class FaultHooks {
  private readonly rules: Rule[] = [];
  private readonly operationRules: Rule[] = [];
  private readonly latencies: { method: string | undefined; ms: number }[] = [];

  constructor(private readonly state: GcpEmulatorState) {
    state.operationFault = (method) => take(this.operationRules, method);
  }

  /** 429 rateLimitExceeded (Compute's per-minute API quota). */
  throttle(match: FaultMatch = {}): void {
    this.rules.push(rule(match, errors.rateLimited));
  }

  /** 500 internalError or 503 backendError. */
  serverError(match: FaultMatch & { status?: 500 | 503 } = {}): void {
    this.rules.push(rule(match, () => errors.backend(match.status ?? 503)));
  }

  /** Any Google error, e.g. `errors.notReady(...)` (400 resourceNotReady) or a quota error. */
  fail(match: FaultMatch, make: () => GoogleError): void {
    this.rules.push(rule(match, make));
  }

  /** Operations of the method finish DONE with this error (e.g. RESOURCE_NOT_READY). */
  failOperation(match: FaultMatch, code: string, message: string): void {
    this.operationRules.push(rule(match, () => new GoogleError(400, 'badRequest', message, code)));
  }

  /** Adds latency (ms) before answering matching calls. */
  latency(ms: number, method?: string): void {
    this.latencies.push({ method, ms });
  }

  /** Created resources stay invisible to reads for `ms` (eventual consistency). */
  delayVisibility(ms: number): void {
    this.state.visibilityDelayMs = ms;
  }

  /** Removes every fault. */
  clear(): void {
    this.rules.length = 0;
    this.operationRules.length = 0;
    this.latencies.length = 0;
    this.state.visibilityDelayMs = 0;
  }

  /** Used by the server: the error to answer this call with, if any. */
  errorFor(method: string): GoogleError | undefined {
    return take(this.rules, method);
  }

  /** Used by the server: the latency to add to this call. */
  latencyFor(method: string): number {
    return this.latencies
      .filter((l) => l.method === undefined || l.method === method)
      .reduce((sum, l) => sum + l.ms, 0);
  }
}

function rule(match: FaultMatch, make: () => GoogleError): Rule {
  return { method: match.method, remaining: match.times ?? 1, skip: match.skip ?? 0, make };
}

function take(rules: Rule[], method: string): GoogleError | undefined {
  for (const r of rules) {
    if (r.remaining <= 0 || (r.method !== undefined && r.method !== method)) continue;
    if (r.skip > 0) {
      r.skip -= 1;
      return undefined;
    }
    r.remaining -= 1;
    return r.make();
  }
  return undefined;
}

/** Counts calls per method, split into reads and writes (a converged reconcile must make zero writes). */
export class CallCounter {
  readonly byMethod = new Map<string, number>();
  reads = 0;
  writes = 0;

  record(method: string, write: boolean): void {
    this.byMethod.set(method, (this.byMethod.get(method) ?? 0) + 1);
    if (write) this.writes += 1;
    else this.reads += 1;
  }

  /** Calls of one method (`compute.networks.addPeering`). */
  count(method: string): number {
    return this.byMethod.get(method) ?? 0;
  }

  reset(): void {
    this.byMethod.clear();
    this.reads = 0;
    this.writes = 0;
  }
}
