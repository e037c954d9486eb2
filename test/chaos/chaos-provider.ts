import { RetryableError, TerminalError } from '../../shared/errors';
import type { Action, Cloud, Observation } from '../../shared/model';
import type { ApplyContext, ApplyOutcome, Partition, PeeringProvider } from '../../shared/providers/port';
import type { Prng } from './prng';

/** A clock the scenario moves: backoff sleeps and slow calls advance it instead of waiting. */
export class VirtualClock {
  constructor(public ms: number) {}
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += Math.max(0, ms);
  }
  /** The executor's `sleep`: returns at once, the clock jumps. */
  sleep = async (ms: number): Promise<void> => {
    this.advance(ms);
  };
}

/** The host died: this apply and every later one in the same run never reach (or never hear back from) the cloud. */
export class CrashError extends TerminalError {}

/** Faults the wrapper injects on top of whatever the wrapped provider (memory or emulator) does. */
export interface ChaosFaults {
  /** The next N applies fail with a 5xx before reaching the cloud. */
  serverErrors: number;
  /** The next N applies time out; half of them reached the cloud anyway (the answer was lost). */
  timeouts: number;
  /** Virtual milliseconds every apply takes (deadline pressure). */
  latencyMs: number;
  /** After this many successful writes, the next apply lands and the host dies; undefined = no crash. */
  crashAfterWrites: number | undefined;
  /** Peerings created within this many virtual ms are invisible to observe (EC2 eventual consistency). */
  visibilityMs: number;
  /** The next observe loses its later pages: a list call failed mid-pagination. */
  truncateNextObserve: boolean;
}

const NO_FAULTS: ChaosFaults = { serverErrors: 0, timeouts: 0, latencyMs: 0, crashAfterWrites: undefined, visibilityMs: 0, truncateNextObserve: false };

/**
 * Wraps any provider with seeded faults. It keeps the port's contract honest in one way only: a
 * truncated observation is reported as incomplete with a gap, which is what a correct adapter does
 * when page 2 of a list fails (the emulator scenarios check the real adapter does it).
 */
export class ChaosProvider implements PeeringProvider {
  readonly cloud: Cloud;
  faults: ChaosFaults = { ...NO_FAULTS };
  private writes = 0;
  private crashed = false;
  private readonly createdAt = new Map<string, number>();

  constructor(private readonly inner: PeeringProvider, private readonly rng: Prng, private readonly clock: VirtualClock) {
    this.cloud = inner.cloud;
  }

  /** Clears every fault and brings a crashed host back (a fresh invocation). */
  heal(): void {
    this.faults = { ...NO_FAULTS };
    this.revive();
  }

  /** A fresh invocation after a crash; other faults stay. */
  revive(): void {
    this.crashed = false;
    this.writes = 0;
  }

  async observe(partitions: readonly Partition[]): Promise<Observation> {
    const seen = await this.inner.observe(partitions);
    const hidden = (id: string) => this.clock.ms - (this.createdAt.get(id) ?? -Infinity) < this.faults.visibilityMs;
    const visible: Observation = { ...seen, peerings: seen.peerings.filter((p) => !hidden(p.id)) };
    if (!this.faults.truncateNextObserve) return visible;
    this.faults.truncateNextObserve = false;
    // Page 1 arrived, page 2 failed: keep a prefix of each list, report the gap.
    const keep = <T>(items: readonly T[]) => items.slice(0, this.rng.int(0, items.length));
    return {
      ...visible, complete: false,
      gaps: [...visible.gaps, 'DescribeRouteTables: page 2 failed (InternalError); observation incomplete'],
      networks: keep(visible.networks), peerings: keep(visible.peerings),
    };
  }

  async apply(action: Action, context: ApplyContext): Promise<ApplyOutcome> {
    if (this.crashed) throw new CrashError('host crashed: nothing after the crash reaches the cloud');
    this.clock.advance(this.faults.latencyMs);
    if (this.faults.serverErrors > 0) {
      this.faults.serverErrors -= 1;
      throw new RetryableError('An internal error has occurred', { code: 'InternalError' });
    }
    const id = action.target && 'id' in action.target ? action.target.id : undefined;
    if (id && this.clock.ms - (this.createdAt.get(id) ?? -Infinity) < this.faults.visibilityMs) {
      throw new RetryableError(`The vpcPeeringConnection ID '${id}' does not exist (not visible yet)`, { code: 'InvalidVpcPeeringConnectionID.NotFound' });
    }
    const timeout = this.faults.timeouts > 0;
    if (timeout) this.faults.timeouts -= 1;
    if (timeout && this.rng.chance(0.5)) throw new RetryableError('socket timed out before the request was sent', { code: 'RequestTimeout' });
    const outcome = await this.inner.apply(action, context);
    if (action.action === 'create-peering' && outcome.status === 'done' && outcome.peeringId) this.createdAt.set(outcome.peeringId, this.clock.ms);
    if (outcome.status === 'done') this.writes += 1;
    if (timeout) throw new RetryableError('socket timed out waiting for the response', { code: 'RequestTimeout' });
    if (this.faults.crashAfterWrites !== undefined && outcome.status === 'done' && this.writes > this.faults.crashAfterWrites) {
      this.crashed = true;
      throw new CrashError(`host crashed after write ${this.writes}`);
    }
    return outcome;
  }
}
