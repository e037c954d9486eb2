import { ArmError } from './armError';
import type { AzureEmulatorState } from './state';

/** Which requests a fault applies to. Every field narrows; an empty matcher matches every request. */
export interface RequestMatcher {
  method?: string;
  /** The RBAC-style operation the emulator names the call by, e.g. `Microsoft.Network/virtualNetworks/read`. */
  operation?: string;
  /** A substring of the request path and query (case-insensitive), e.g. `$skiptoken`. */
  pathIncludes?: string;
}

/** How often a fault fires: it lets `skip` matching requests through, then fires `times` times (default forever). */
export interface FaultCount {
  skip?: number;
  times?: number;
}

interface Rule {
  match: RequestMatcher;
  skip: number;
  times: number;
  latencyMs?: number;
  error?: () => ArmError;
}

/** What the HTTP layer tells the faults about a request. */
export interface RequestFacts {
  method: string;
  operation: string;
  path: string;
}

/** Fault injection for chaos tests: throttling, 5xx, latency, delayed visibility, slow LROs, small pages. */
export class FaultHooks {
  private rules: Rule[] = [];
  /** Resources written over HTTP become readable this many ms later (eventual consistency). */
  visibilityDelayMs = 0;
  /** Items per list page before a `nextLink` (ARM network lists page at a few hundred; tests use 1–2). */
  pageSize = 100;
  /** `Retry-After` seconds on LRO responses (real ARM says 10 for network operations; 0 keeps tests fast). */
  lroRetryAfterSeconds = 0;

  constructor(private readonly state: AzureEmulatorState) {}

  /** How many `InProgress` polls an operation answers before `Succeeded`. */
  set lroPolls(polls: number) {
    this.state.lroPolls = polls;
  }

  /** 429 with `Retry-After`, the way ARM throttles a subscription's reads or writes. */
  throttle(opts: RequestMatcher & FaultCount & { retryAfterSeconds?: number } = {}): void {
    const seconds = opts.retryAfterSeconds ?? 1;
    this.add(opts, {
      error: () =>
        new ArmError(
          429,
          'SubscriptionRequestsThrottled',
          `Number of requests for subscription exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
          { 'retry-after': String(seconds) },
        ),
    });
  }

  /** A 5xx answer (500 InternalServerError by default; 503 ServiceUnavailable, …). */
  serverError(opts: RequestMatcher & FaultCount & { status?: number; code?: string } = {}): void {
    const status = opts.status ?? 500;
    const code = opts.code ?? (status === 503 ? 'ServiceUnavailable' : 'InternalServerError');
    this.add(opts, {
      error: () =>
        new ArmError(status, code, `The server encountered an internal error (${code}). Please retry the request.`),
    });
  }

  /** Delays matching requests by `ms`. */
  latency(ms: number, opts: RequestMatcher & FaultCount = {}): void {
    this.add(opts, { latencyMs: ms });
  }

  /** Written resources stay invisible to reads for `ms` (0 turns it off). */
  delayVisibility(ms: number): void {
    this.visibilityDelayMs = ms;
  }

  /** Removes every fault and restores the defaults. */
  clear(): void {
    this.rules = [];
    this.visibilityDelayMs = 0;
    this.pageSize = 100;
    this.lroRetryAfterSeconds = 0;
    this.state.lroPolls = 1;
  }

  /** Decides what happens to one request: extra latency, and maybe an error instead of an answer. */
  check(request: RequestFacts): { latencyMs: number; error?: ArmError } {
    let latencyMs = 0;
    let error: ArmError | undefined;
    for (const rule of this.rules) {
      if (!matches(rule.match, request) || rule.times <= 0) continue;
      if (rule.skip > 0) {
        rule.skip -= 1;
        continue;
      }
      if (rule.latencyMs !== undefined) {
        latencyMs += rule.latencyMs;
        rule.times -= 1;
      } else if (!error && rule.error) {
        error = rule.error();
        rule.times -= 1;
      }
    }
    return error ? { latencyMs, error } : { latencyMs };
  }

  private add(opts: RequestMatcher & FaultCount, effect: Pick<Rule, 'latencyMs' | 'error'>): void {
    const { skip, times, method, operation, pathIncludes } = opts;
    this.rules.push({
      match: { method, operation, pathIncludes },
      skip: skip ?? 0,
      times: times ?? Infinity,
      ...effect,
    });
  }
}

function matches(m: RequestMatcher, r: RequestFacts): boolean {
  return (
    (!m.method || m.method.toUpperCase() === r.method.toUpperCase()) &&
    (!m.operation || m.operation.toLowerCase() === r.operation.toLowerCase()) &&
    (!m.pathIncludes || r.path.toLowerCase().includes(m.pathIncludes.toLowerCase()))
  );
}

/** Counts requests per operation (`Microsoft.Network/virtualNetworks/read`, …/write, …/delete). */
export class CallCounter {
  private counts = new Map<string, number>();

  record(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  count(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  /** Requests that only read. */
  reads(): number {
    return this.sum((op) => op.endsWith('/read'));
  }

  /** Requests that change something (write, delete, action). */
  writes(): number {
    return this.sum((op) => !op.endsWith('/read'));
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
  }

  private sum(pick: (operation: string) => boolean): number {
    let total = 0;
    for (const [op, n] of this.counts) if (pick(op)) total += n;
    return total;
  }
}
