import type { Action, Cloud, Observation, Scope } from '../model';
import type { DiscoveredAccount } from './organization-directory';

/** One unit of observation and of sweep fan-out: an account / subscription / project, optionally one region. */
export interface Partition {
  cloud: Cloud;
  account: string;
  /** AWS region or Azure location; absent = every configured region. GCP is always `global`. */
  region?: string;
}

/** What the executor hands an adapter with each action. */
export interface ApplyContext {
  now: Date;
  /** Resolves a peering handle without an id (created earlier in this plan) to its id. */
  resolvePeeringId(requesterKey: string, accepterKey: string): string | undefined;
  /** Epoch ms after which the adapter must not start long waits (LRO polls, operations.wait). */
  deadline: number;
  /**
   * Epoch ms (on the `now` clock) at which the observation the plan was made from began. Optional: without it,
   * an adapter treats the plan as old and re-reads what it is about to change.
   */
  observedAt?: number;
  /** Which executor attempt this is (1 = first). A retry may follow a partial failure, so it re-reads. */
  attempt?: number;
}

/** What happened when an action was applied. */
export interface ApplyOutcome {
  /** done = changed the cloud; converged = already as wanted; skipped = precondition no longer holds. */
  status: 'done' | 'converged' | 'skipped';
  /** The peering id a create-peering produced (so later actions in the plan can use it). */
  peeringId?: string;
  detail?: string;
}

/**
 * The provider port, shaped like Crossplane's external client: `observe` never changes the outside
 * world; `apply` performs one planned action, re-checking its precondition first, and is safe to call twice.
 * Adapters throw RetryableError / TerminalError (shared/errors) and nothing untyped.
 */
export interface PeeringProvider {
  readonly cloud: Cloud;
  /** Reads every network, route table and peering of the partitions. Never mutates. */
  observe(partitions: readonly Partition[]): Promise<Observation>;
  /** Performs one action. */
  apply(action: Action, context: ApplyContext): Promise<ApplyOutcome>;
  /**
   * Partitions the provider discovers beyond the policy's explicit lists (the ACTIVE accounts of an AWS OU, an Azure
   * management group's subscriptions, a GCP folder's projects, nested containers included). The sweep observes these
   * too. `scope` lets discovery read only what the reconcile needs (an account event re-reads that account); a
   * rejection is a gap over the whole cloud, never an empty organization.
   */
  partitions?(scope?: Scope): Promise<Partition[]>;
  /**
   * Every account organization discovery has found so far, governed or not, with its place and state (after
   * `partitions`): what `validate --provider` shows per group. Absent when the policy selects by no structure.
   */
  discoveredAccounts?(): readonly DiscoveredAccount[];
}

/** Cloud permissions an adapter operation needs (least privilege is built from these). */
export type PermissionTable = Readonly<Record<string, readonly string[]>>;
