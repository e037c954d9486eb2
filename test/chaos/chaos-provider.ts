import { RetryableError, TerminalError } from '../../shared/errors';
import type { Action, Cloud, Observation } from '../../shared/model';
import { mergeObservations } from '../../shared/model';
import type { ApplyContext, ApplyOutcome, Partition, PeeringProvider } from '../../shared/providers/port';
import { observeWithFaults, type ReadFault } from '../support/partial-reads';
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
  /** Reads that fail or stop after page 1 until the fault heals: AccessDenied, throttled, 5xx, truncated pages. */
  reads: ReadFault[];
  /** The next N applies fail with UnauthorizedOperation (an SCP or a permission the role lost). */
  deniedWrites: number;
}

const NO_FAULTS: ChaosFaults = {
  serverErrors: 0,
  timeouts: 0,
  latencyMs: 0,
  crashAfterWrites: undefined,
  visibilityMs: 0,
  reads: [],
  deniedWrites: 0,
};

/** What one reconcile read, and what the same reads return when every one succeeds (the oracle's "full" view). */
export interface ObservedTwin {
  observation: Observation;
  /** The virtual time the last read returned: the plan's `now`. */
  now: Date;
}

/** The account an action writes into: where the call is made, so where an account's denial bites. */
function accountOf(action: Action): string | undefined {
  switch (action.action) {
    case 'create-route':
    case 'replace-route':
    case 'delete-route':
      return action.target.network.account;
    case 'create-peering':
    case 'delete-peering':
    case 'update-peering':
      return action.target.requester.account;
    case 'accept-peering':
    case 'reject-peering':
      return action.target.accepter.account;
    // Azure: the hub's owner creates connections; AWS and NCC: the spoke's account asks, the hub's owner decides.
    case 'create-attachment':
      return action.cloud === 'azure' ? action.target.hub.account : action.target.network.account;
    case 'accept-attachment':
    case 'reject-attachment':
    case 'update-attachment':
    case 'delete-attachment':
      return action.target.hub.account;
    case 'request-approval':
    case 'report':
      return undefined;
  }
}

const overlaps = (f: ReadFault, partitions: readonly Partition[]) =>
  partitions.some(
    (p) =>
      p.cloud === f.partition.cloud &&
      (f.partition.account === '*' || p.account === f.partition.account) &&
      (!p.region || !f.partition.region || p.region === f.partition.region),
  );

/**
 * Wraps any provider with seeded faults. It keeps the port's contract honest the way a correct adapter does:
 * each failed or truncated read leaves the observation incomplete with a gap and an `unread` entry for its
 * partition (the emulator scenarios check the real adapter does it). `denying` accounts refuse every read and
 * write, for good (a governed account whose role was never deployed); `heal` does not change that.
 */
export class ChaosProvider implements PeeringProvider {
  readonly cloud: Cloud;
  faults: ChaosFaults = { ...NO_FAULTS, reads: [] };
  private writes = 0;
  private crashed = false;
  private readonly createdAt = new Map<string, number>();

  constructor(
    private readonly inner: PeeringProvider,
    private readonly rng: Prng,
    private readonly clock: VirtualClock,
    private readonly denying: ReadonlySet<string> = new Set(),
  ) {
    this.cloud = inner.cloud;
  }

  /**
   * A view of this provider for one reconcile that remembers, for each of its reads, what the read returns when
   * nothing fails: `twin()` is the observation the reconcile would have planned from with every read succeeding.
   */
  session(): { provider: PeeringProvider; twin: () => ObservedTwin | undefined } {
    const fulls: Observation[] = [];
    let now: Date | undefined;
    const provider: PeeringProvider = {
      cloud: this.cloud,
      observe: async (partitions) => {
        const { observed, full } = await this.observeBoth(partitions);
        fulls.push(full);
        now = this.clock.now();
        return observed;
      },
      apply: (action, context) => this.apply(action, context),
    };
    return { provider, twin: () => (now === undefined ? undefined : { observation: mergeObservations(fulls), now }) };
  }

  /** Clears every fault and brings a crashed host back (a fresh invocation). */
  heal(): void {
    this.faults = { ...NO_FAULTS, reads: [] };
    this.revive();
  }

  /** A fresh invocation after a crash; other faults stay. */
  revive(): void {
    this.crashed = false;
    this.writes = 0;
  }

  async observe(partitions: readonly Partition[]): Promise<Observation> {
    return (await this.observeBoth(partitions)).observed;
  }

  /** The observation with this step's read faults applied, and the same reads with none (the twin). */
  private async observeBoth(partitions: readonly Partition[]): Promise<{ observed: Observation; full: Observation }> {
    const seen = await this.inner.observe(partitions);
    const hidden = (id: string) => this.clock.ms - (this.createdAt.get(id) ?? -Infinity) < this.faults.visibilityMs;
    const full: Observation = { ...seen, peerings: seen.peerings.filter((p) => !hidden(p.id)) };
    const denied: ReadFault[] = [...this.denying].map((account) => ({
      partition: { cloud: this.cloud, account },
      call: 'AssumeRole',
      kind: 'AccessDenied',
    }));
    const faults = [...denied, ...this.faults.reads].filter((f) => overlaps(f, partitions));
    return { observed: faults.length === 0 ? full : observeWithFaults(full, faults, partitions), full };
  }

  async apply(action: Action, context: ApplyContext): Promise<ApplyOutcome> {
    if (this.crashed) throw new CrashError('host crashed: nothing after the crash reaches the cloud');
    this.clock.advance(this.faults.latencyMs);
    const account = accountOf(action);
    if (account !== undefined && this.denying.has(account))
      throw new TerminalError(`User is not authorized to perform sts:AssumeRole on the member role in ${account}`, {
        code: 'AccessDenied',
      });
    if (this.faults.deniedWrites > 0) {
      this.faults.deniedWrites -= 1;
      throw new TerminalError('You are not authorized to perform this operation.', { code: 'UnauthorizedOperation' });
    }
    if (this.faults.serverErrors > 0) {
      this.faults.serverErrors -= 1;
      throw new RetryableError('An internal error has occurred', { code: 'InternalError' });
    }
    const id = action.target && 'id' in action.target ? action.target.id : undefined;
    if (id && this.clock.ms - (this.createdAt.get(id) ?? -Infinity) < this.faults.visibilityMs) {
      throw new RetryableError(`The vpcPeeringConnection ID '${id}' does not exist (not visible yet)`, {
        code: 'InvalidVpcPeeringConnectionID.NotFound',
      });
    }
    const timeout = this.faults.timeouts > 0;
    if (timeout) this.faults.timeouts -= 1;
    if (timeout && this.rng.chance(0.5))
      throw new RetryableError('socket timed out before the request was sent', { code: 'RequestTimeout' });
    const outcome = await this.inner.apply(action, context);
    if (action.action === 'create-peering' && outcome.status === 'done' && outcome.peeringId)
      this.createdAt.set(outcome.peeringId, this.clock.ms);
    if (outcome.status === 'done') this.writes += 1;
    if (timeout) throw new RetryableError('socket timed out waiting for the response', { code: 'RequestTimeout' });
    if (
      this.faults.crashAfterWrites !== undefined &&
      outcome.status === 'done' &&
      this.writes > this.faults.crashAfterWrites
    ) {
      this.crashed = true;
      throw new CrashError(`host crashed after write ${this.writes}`);
    }
    return outcome;
  }
}
