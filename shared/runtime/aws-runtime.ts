import { bundledPolicyPath, loadPolicyFile } from './policy-file';
import type { Cloud, Trigger } from '../model';
import type { Policy } from '../policy';
import { HUB_ENV } from '../providers/aws/hub-env';
import type { Partition, PeeringProvider } from '../providers/port';
import { partitionsFor, reconcileScope, type ReconcileDeps, type ReconcileResult } from '../reconcile';
import type { AuditLog } from '../stores/ports';
import type { ApprovalRecord } from '../approvals/record';
import { approvalScope } from '../approvals/slack/deferred';
import { approvalsExpiringWithin, decisionFollowUp, type ApprovalWiring } from './approvals';
import { outcomeEvents, type OutcomePublisher } from './outcome-events';
import { needsRetry, type WorkMessage } from './work';

/** The part of the Lambda context the runtime reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Where the runtime logs; Powertools' Logger has this shape (the runtime cannot import it: DESIGN §2). */
export interface RuntimeLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Queues the runtime writes to: the sweep's work queue and the dead-letter queue for terminal errors. */
export interface RuntimeQueues {
  /** Puts one message per unit of work; resolves to how many were sent. */
  sendWork(messages: readonly WorkMessage[]): Promise<number>;
  /** Parks an input peerkeeper can never process, with the reason, for a human. */
  deadLetter(input: unknown, error: Error): Promise<void>;
}

/** Everything a test may replace; anything left out is built from the environment. */
export interface AwsRuntimeOverrides {
  env?: NodeJS.ProcessEnv;
  policy?: Policy;
  providers?: Partial<Record<Cloud, PeeringProvider>>;
  audit?: AuditLog;
  outcomes?: OutcomePublisher;
  queues?: RuntimeQueues;
  now?: () => Date;
  log?: RuntimeLog;
  /** Approval wiring (store + chat) for `request-approval` actions and decided requests. */
  approvals?: Pick<ReconcileDeps, 'requestApproval' | 'decisions' | 'approvals'>;
  /** The whole approval wiring (store, audit, chat): what the approval endpoint and the sweep use. */
  approvalWiring?: ApprovalWiring;
}

/** The bundled policy file (see bundledPolicyPath). */
export const policyPath = bundledPolicyPath;

/**
 * The composition root of the AWS functions, built once per cold start: policy, providers, audit log,
 * outcome publisher and queues. Every handler calls `reconcileTrigger` (events, sweep worker, poll).
 */
export class AwsRuntime {
  readonly identities: readonly string[];

  constructor(
    readonly policy: Policy,
    private readonly providers: Partial<Record<Cloud, PeeringProvider>>,
    private readonly outcomes: OutcomePublisher | undefined,
    private readonly queues: RuntimeQueues,
    private readonly opts: {
      audit?: AuditLog;
      now: () => Date;
      log: RuntimeLog;
      env: NodeJS.ProcessEnv;
      approvals?: AwsRuntimeOverrides['approvals'];
      approvalWiring?: ApprovalWiring;
      /** The accounts OU groups hold (organization discovery); default: the AWS provider's own `partitions`. */
      discover?: () => Promise<Partition[]>;
    },
  ) {
    const extra = (opts.env[HUB_ENV.identities] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const functionRole = opts.env[HUB_ENV.functionRoleArn];
    const memberRole = `arn:aws:iam::*:role/${policy.providers.aws?.roleName ?? 'peerkeeper-member'}`;
    this.identities = [
      ...new Set([...policy.identities, memberRole, ...(functionRole ? [functionRole] : []), ...extra]),
    ];
  }

  /**
   * Reconciles the trigger's scope until shortly before the function times out, then publishes what was
   * done. `retry` is true when an action failed with a retryable error (the caller lets the host redeliver).
   */
  async reconcileTrigger(
    trigger: Trigger,
    context: InvocationContext,
  ): Promise<{ result: ReconcileResult; retry: boolean; published: number }> {
    const now = this.opts.now;
    const result = await reconcileScope(
      trigger.scope,
      {
        policy: this.policy,
        providers: this.providers,
        now,
        // A budget of elapsed time on the machine clock, which the adapters compare it with (ApplyContext.deadline);
        // `now` is the decision time and may be injected (a test's fixed date), so it must not set the deadline.
        deadline: Date.now() + context.getRemainingTimeInMillis(),
        actor: 'peerkeeper',
        ...(this.opts.audit ? { audit: this.opts.audit } : {}),
        ...(this.opts.approvals ?? this.opts.approvalWiring?.reconcileDeps ?? {}),
      },
      trigger,
    );
    const events = outcomeEvents(result, now(), trigger);
    const published = events.length > 0 && this.outcomes ? (await this.outcomes.publish(events)).published : 0;
    return { result, retry: needsRetry(result), published };
  }

  /** Approvals of this deployment (undefined when no approvals table is configured). */
  get approvals(): ApprovalWiring | undefined {
    return this.opts.approvalWiring;
  }

  /**
   * Reconciles the peering a human just decided (its accepter's side, where the accept happens). Returns what
   * the decider should be told when the decision could not be carried out (e.g. the request became unsafe).
   */
  async reconcileApproval(record: ApprovalRecord, context: InvocationContext): Promise<string | undefined> {
    const trigger: Trigger = {
      scope: approvalScope(record),
      kind: 'approval',
      eventId: `approval:${record.id}:v${record.version}`,
      source: 'Slack decision',
      ...(record.decidedBy ? { actor: record.decidedBy } : {}),
    };
    const { result } = await this.reconcileTrigger(trigger, context);
    return decisionFollowUp(record, result);
  }

  /** Closes expired approvals and says so on their messages: once per sweep run. 0 without approvals. */
  async expireApprovals(): Promise<number> {
    if (!this.opts.approvalWiring) return 0;
    return (await this.opts.approvalWiring.expireDue(this.opts.now())).length;
  }

  /** Pending approvals that expire within `withinMs` (the sweep's metric for the near-expiry alarm). 0 without approvals. */
  async approvalsExpiringWithin(withinMs: number): Promise<number> {
    return approvalsExpiringWithin(this.opts.approvalWiring, this.opts.now(), withinMs);
  }

  /**
   * The sweep's fan-out: one message per governed AWS account and region, so each unit fits one
   * invocation however large the organization (1,000 accounts × 2 regions = 2,000 messages, 200 SendMessageBatch calls).
   */
  async fanOut(kind: 'sweep' | 'poll', eventId: string, at?: string): Promise<number> {
    const listed = partitionsFor({ kind: 'estate' }, this.policy, ['aws']);
    const aws = this.providers.aws;
    const discover = this.opts.discover ?? (aws?.partitions ? () => aws.partitions!({ kind: 'estate' }) : undefined);
    let failure: unknown;
    const found = discover
      ? await discover().catch((error: unknown) => {
          failure = error;
          return [];
        })
      : [];
    const regions = this.policy.providers.aws?.regions ?? ['us-east-1'];
    const seen = new Set(listed.map((p) => `${p.account}:${p.region ?? '*'}`));
    const discovered = found
      .flatMap((p) => (p.region ? [p] : regions.map((region) => ({ ...p, region }))))
      .filter((p) => !seen.has(`${p.account}:${p.region}`));
    const messages: WorkMessage[] = [...listed, ...discovered].map((p) => ({
      trigger: {
        scope: { kind: 'account', cloud: 'aws', account: p.account, ...(p.region ? { region: p.region } : {}) },
        kind,
        eventId: `${eventId}:${p.account}:${p.region ?? '*'}`,
        source: kind === 'sweep' ? 'Scheduled Sweep' : 'Pending Poll',
        ...(at ? { at } : {}),
      },
    }));
    const sent = await this.queues.sendWork(messages);
    // The listed accounts are swept anyway; a failed discovery fails the run (alarmed), never sweeps an empty organization.
    if (failure !== undefined) {
      this.opts.log.error('organization discovery failed: OU accounts were not swept', {
        error: failure instanceof Error ? failure.message : String(failure),
      });
      throw failure;
    }
    return sent;
  }

  /** Parks an input that can never succeed (malformed event, denied by policy) and logs why. */
  async deadLetter(input: unknown, error: Error): Promise<void> {
    this.opts.log.error('terminal error: input dead-lettered', { error: error.message, errorName: error.name });
    await this.queues.deadLetter(input, error);
  }
}

export { loadPolicyFile };

/** An environment variable serverless.yml always sets. */
export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set; serverless.yml sets it for every function`);
  return value;
}
