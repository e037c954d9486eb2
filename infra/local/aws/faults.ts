/**
 * Fault hooks for chaos tests. A rule applies to the calls of one Action (or all), after skipping
 * the first `skip` matching calls, for `times` calls (default: every later call until cleared).
 */
export interface FaultRule {
  action?: string;
  skip?: number;
  times?: number;
}

/** What the server does with one request. */
export type FaultDecision = { kind: 'none' } | { kind: 'error'; status: number; code: string; message: string };

interface ActiveRule extends FaultRule {
  seen: number;
  fired: number;
  apply: () => FaultDecision;
}

/** The hooks tests use: throttle, 5xx, latency, delayed visibility. */
export class FaultHooks {
  private rules: ActiveRule[] = [];
  private latencyRules: (ActiveRule & { ms: number })[] = [];

  constructor(private readonly setVisibilityDelay: (ms: number) => void) {}

  /** `RequestLimitExceeded` (HTTP 503), as EC2 answers once the burst of 50 / refill of 5 per second is spent. */
  throttle(rule: FaultRule = {}): void {
    this.add(rule, () => ({
      kind: 'error',
      status: 503,
      code: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
    }));
  }

  /** A server error: `InternalError` (500) by default, or `Unavailable` (503). */
  serverError(rule: FaultRule & { status?: 500 | 503; code?: 'InternalError' | 'Unavailable' } = {}): void {
    const status = rule.status ?? (rule.code === 'Unavailable' ? 503 : 500);
    const code = rule.code ?? (status === 503 ? 'Unavailable' : 'InternalError');
    this.add(rule, () => ({ kind: 'error', status, code, message: 'An internal error has occurred' }));
  }

  /** Delays matching responses by `ms`. */
  latency(rule: FaultRule & { ms: number }): void {
    this.latencyRules.push({ ...rule, seen: 0, fired: 0, apply: () => ({ kind: 'none' }) });
  }

  /** New peerings stay invisible to Describe / Accept / routes for `ms` real milliseconds (EC2 eventual consistency). */
  delayVisibility(ms: number): void {
    this.setVisibilityDelay(ms);
  }

  /** Removes every fault. */
  clear(): void {
    this.rules = [];
    this.latencyRules = [];
    this.setVisibilityDelay(0);
  }

  /** Decides the fate of one call (the server calls this once per request). */
  decide(action: string): FaultDecision {
    for (const rule of this.rules) {
      if (this.fires(rule, action)) return rule.apply();
    }
    return { kind: 'none' };
  }

  /** Milliseconds to wait before answering this call. */
  delayFor(action: string): number {
    let ms = 0;
    for (const rule of this.latencyRules) if (this.fires(rule, action)) ms += rule.ms;
    return ms;
  }

  private add(rule: FaultRule, apply: () => FaultDecision): void {
    this.rules.push({ ...rule, seen: 0, fired: 0, apply });
  }

  private fires(rule: ActiveRule, action: string): boolean {
    if (rule.action !== undefined && rule.action !== action) return false;
    rule.seen += 1;
    if (rule.seen <= (rule.skip ?? 0)) return false;
    if (rule.times !== undefined && rule.fired >= rule.times) return false;
    rule.fired += 1;
    return true;
  }
}
