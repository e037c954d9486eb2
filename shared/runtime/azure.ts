import { bundledPolicyPath, loadPolicyFile } from './policy-file';
import type { Cloud, Trigger } from '../model';
import type { Policy } from '../policy';
import { createAzureProvider } from '../providers/azure';
import { defaultCredential } from '../providers/azure/connect';
import { EventGridOutcomePublisher } from '../providers/azure/outcomes';
import { outcomeEvents, type OutcomePublisher } from './outcome-events';
import type { Partition, PeeringProvider } from '../providers/port';
import { partitionsFor, reconcileScope, type ReconcileDeps, type ReconcileResult } from '../reconcile';
import { azureTableServices } from '../stores/azure-table-idempotency';
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS, MemoryIdempotencyStore, type IdempotencyStore } from '../stores/idempotency';
import type { ApprovalStore, AuditLog } from '../stores/ports';
import type { ApprovalRecord } from '../approvals/record';
import { approvalScope } from '../approvals/slack/deferred';
import { decisionFollowUp, type ApprovalWiring } from './approvals';
import { azureApprovalWiring } from './azure-approvals';
import type { RuntimeLog } from './aws';
import { needsRetry, type WorkMessage } from './work';

/** App settings the Azure functions read (infra/azure/main.tf sets them). */
export const AZURE_ENV = {
  policyFile: 'PEERKEEPER_POLICY_FILE',
  /** Comma-separated principal ids that are peerkeeper (the function app's managed identity). */
  identities: 'PEERKEEPER_IDENTITIES',
  /** host.json functionTimeout in ms; the deadline every reconcile stops starting work at. */
  timeoutMs: 'PEERKEEPER_FUNCTION_TIMEOUT_MS',
  /** The function app's storage account; holds the audit and idempotency tables. */
  storage: 'AzureWebJobsStorage',
  /** The Event Grid custom topic outcomes are published to (its endpoint, https://<topic>.<region>-1.eventgrid.azure.net/api/events). */
  outcomeTopicEndpoint: 'PEERKEEPER_OUTCOME_TOPIC_ENDPOINT',
} as const;

/** host.json's functionTimeout (10 minutes, the Consumption plan's maximum). */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 600_000;
// Leave 30 s of the timeout for recording, logging and returning.
const TIMEOUT_MARGIN_MS = 30_000;

/** Everything a test may replace; anything left out is built from the environment. */
export interface AzureRuntimeOverrides {
  env?: NodeJS.ProcessEnv;
  policy?: Policy;
  providers?: Partial<Record<Cloud, PeeringProvider>>;
  audit?: AuditLog;
  idempotency?: IdempotencyStore;
  now?: () => Date;
  log?: RuntimeLog;
  /** Approval wiring (store + chat) for `request-approval` actions and decided requests. */
  approvals?: Pick<ReconcileDeps, 'requestApproval' | 'decisions' | 'approvals'>;
  /** The whole approval wiring (store, audit, chat): what the approval endpoint and the sweep use. */
  approvalWiring?: ApprovalWiring;
  /** Where outcomes go; default the PEERKEEPER_OUTCOME_TOPIC_ENDPOINT topic, or nowhere when it is unset. */
  outcomes?: OutcomePublisher;
}

/** What one trigger came to: skipped as already done, or reconciled (`retry`: a retryable action failed). */
export type TriggerOutcome =
  { status: 'duplicate'; eventId: string } | { status: 'reconciled'; result: ReconcileResult; retry: boolean };

/** An adapter that can list its partitions (the Azure adapter expands a management group). */
interface Discovering {
  partitions(): Promise<Partition[]>;
}

const silent: RuntimeLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

function discovering(provider: PeeringProvider | undefined): (PeeringProvider & Discovering) | undefined {
  return provider && typeof (provider as Partial<Discovering>).partitions === 'function'
    ? (provider as PeeringProvider & Discovering)
    : undefined;
}

/**
 * The composition root of the Azure functions, built once per instance: policy, providers, audit log and
 * idempotency store. Every handler calls `reconcileTrigger`; the sweep calls `sweepMessages`.
 */
export class AzureRuntime {
  readonly identities: readonly string[];
  private discovered: Promise<Partition[]> | undefined;

  constructor(
    readonly policy: Policy,
    private readonly providers: Partial<Record<Cloud, PeeringProvider>>,
    private readonly stores: () => Promise<{ audit?: AuditLog; idempotency: IdempotencyStore }>,
    private readonly opts: {
      now: () => Date;
      log: RuntimeLog;
      env: NodeJS.ProcessEnv;
      approvals?: AzureRuntimeOverrides['approvals'];
      approvalWiring?: ApprovalWiring;
      outcomes?: OutcomePublisher;
    },
  ) {
    const extra = (opts.env[AZURE_ENV.identities] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    this.identities = [...new Set([...policy.identities, ...extra])];
  }

  /** Epoch ms a reconcile started at `startedAt` must finish by (the function timeout less 30 s). */
  deadlineFrom(startedAt: number): number {
    const timeout = Number(this.opts.env[AZURE_ENV.timeoutMs] ?? DEFAULT_FUNCTION_TIMEOUT_MS);
    return (
      startedAt + (Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_FUNCTION_TIMEOUT_MS) - TIMEOUT_MARGIN_MS
    );
  }

  /**
   * Reconciles the trigger's scope once per event id: an id already reconciled to the end is a duplicate
   * (Event Grid and queues deliver at least once). A result with retryable failures is not remembered, so
   * the redelivery runs again.
   */
  async reconcileTrigger(trigger: Trigger, startedAt: number): Promise<TriggerOutcome> {
    const { audit, idempotency } = await this.stores();
    const now = this.opts.now;
    if (await idempotency.seen(trigger.eventId, now())) return { status: 'duplicate', eventId: trigger.eventId };
    // A vended subscription may be new under the management group: the adapter learns it by listing.
    if (trigger.kind === 'vending') this.discovered = undefined;
    await this.partitions();
    const result = await reconcileScope(
      trigger.scope,
      {
        policy: this.policy,
        providers: this.providers,
        now,
        deadline: this.deadlineFrom(startedAt),
        actor: 'peerkeeper',
        ...(audit ? { audit } : {}),
        ...(this.opts.approvals ?? this.opts.approvalWiring?.reconcileDeps ?? {}),
      },
      trigger,
    );
    const retry = needsRetry(result);
    if (this.opts.outcomes) await this.opts.outcomes.publish(outcomeEvents(result, now(), trigger));
    if (!retry) await idempotency.remember(trigger.eventId, now(), DEFAULT_IDEMPOTENCY_TTL_SECONDS);
    return { status: 'reconciled', result, retry };
  }

  /** Approvals of this deployment (undefined without the function app's storage, e.g. in some tests). */
  get approvals(): ApprovalWiring | undefined {
    return this.opts.approvalWiring;
  }

  /**
   * Reconciles the peering a human just decided (its accepter's side). Returns what the decider should be
   * told when the decision could not be carried out; a redelivered decision of the same version is a duplicate.
   */
  async reconcileApproval(
    record: ApprovalRecord,
    startedAt: number,
  ): Promise<{ followUp: string | undefined; retry: boolean }> {
    const trigger: Trigger = {
      scope: approvalScope(record),
      kind: 'approval',
      eventId: `approval:${record.id}:v${record.version}`,
      source: 'Slack decision',
      ...(record.decidedBy ? { actor: record.decidedBy } : {}),
    };
    const outcome = await this.reconcileTrigger(trigger, startedAt);
    if (outcome.status === 'duplicate') return { followUp: undefined, retry: false };
    return { followUp: decisionFollowUp(record, outcome.result), retry: outcome.retry };
  }

  /** Closes expired approvals and says so on their messages: once per sweep run. 0 without approvals. */
  async expireApprovals(): Promise<number> {
    if (!this.opts.approvalWiring) return 0;
    return (await this.opts.approvalWiring.expireDue(this.opts.now())).length;
  }

  /**
   * The sweep's fan-out: one work message per governed subscription, so each fits one invocation however
   * large the tenant (2,000 subscriptions = 2,000 queue messages of ~300 bytes, one output binding).
   */
  async sweepMessages(eventId: string, at: string): Promise<WorkMessage[]> {
    this.discovered = undefined;
    const subscriptions = [...new Set((await this.partitions()).map((p) => p.account.toLowerCase()))].sort();
    return subscriptions.map((account) => ({
      trigger: {
        scope: { kind: 'account', cloud: 'azure', account },
        kind: 'sweep',
        eventId: `${eventId}:${account}`,
        source: 'Scheduled Sweep',
        at,
      },
    }));
  }

  /** Governed Azure subscriptions: the policy's, plus a management group's descendants (listed once per instance). */
  private partitions(): Promise<Partition[]> {
    const adapter = discovering(this.providers.azure);
    const fromPolicy = partitionsFor({ kind: 'estate' }, this.policy, ['azure']);
    if (!adapter) return Promise.resolve(fromPolicy);
    this.discovered ??= adapter
      .partitions()
      .then((found) => [...fromPolicy, ...found])
      .catch((error: unknown) => {
        this.discovered = undefined;
        this.opts.log.warn("listing subscriptions failed; using the policy's list", {
          error: error instanceof Error ? error.message : String(error),
        });
        return fromPolicy;
      });
    return this.discovered;
  }
}

/** The bundled policy file (see bundledPolicyPath). */
export const azurePolicyPath = bundledPolicyPath;

/** Builds the runtime from the environment, with any piece replaced (tests inject providers and stores). */
export function createAzureRuntime(overrides: AzureRuntimeOverrides = {}): AzureRuntime {
  const env = overrides.env ?? process.env;
  const log = overrides.log ?? silent;
  const policy = overrides.policy ?? loadPolicyFile(azurePolicyPath(env));
  const connection = env[AZURE_ENV.storage];
  let tables: ReturnType<typeof azureTableServices> | undefined;
  const openTables = (from: string) =>
    (tables ??= azureTableServices(from).catch((error: unknown) => {
      tables = undefined;
      throw error;
    }));
  const stores = async (): Promise<{ audit?: AuditLog; idempotency: IdempotencyStore }> => {
    const needTables = connection && (!overrides.idempotency || !overrides.audit);
    const built = needTables ? await openTables(connection) : undefined;
    const audit = overrides.audit ?? built?.audit;
    return { idempotency: overrides.idempotency ?? built?.idempotency ?? memory, ...(audit ? { audit } : {}) };
  };
  const memory = new MemoryIdempotencyStore();
  const now = overrides.now ?? (() => new Date());
  // Approvals live on the function app's storage account; without it (tests) only an injected wiring has them.
  const approvalWiring =
    overrides.approvalWiring ??
    (connection
      ? azureApprovalWiring(
          policy,
          env,
          log,
          async (): Promise<{ audit: AuditLog; approvals: ApprovalStore }> => {
            const built = await openTables(connection);
            return { audit: overrides.audit ?? built.audit, approvals: built.approvals };
          },
          now,
        )
      : undefined);
  const topicEndpoint = env[AZURE_ENV.outcomeTopicEndpoint];
  const outcomes =
    overrides.outcomes ??
    (topicEndpoint
      ? new EventGridOutcomePublisher({ topicEndpoint, credential: defaultCredential(env), log })
      : undefined);
  return new AzureRuntime(policy, overrides.providers ?? { azure: createAzureProvider(policy, env) }, stores, {
    now,
    log,
    env,
    ...(outcomes ? { outcomes } : {}),
    ...(overrides.approvals ? { approvals: overrides.approvals } : {}),
    ...(approvalWiring ? { approvalWiring } : {}),
  });
}
