import { bundledPolicyPath, loadPolicyFile } from './policy-file';
import type { Cloud, Trigger } from '../model';
import type { Policy } from '../policy';
import {
  applicationDefaultCredentials,
  createGcpProvider,
  createPubSubPublisher,
  GcpPeeringAdapter,
  type MessagePublisher,
} from '../providers/gcp';
import type { PeeringProvider } from '../providers/port';
import { partitionsFor, reconcileScope, type ReconcileDeps, type ReconcileResult } from '../reconcile';
import { GcsAuditLog } from '../stores/gcs';
import { PubSubOutcomePublisher } from '../providers/gcp/outcomes';
import { outcomeEvents, type OutcomePublisher } from './outcome-events';
import type { AuditLog } from '../stores/ports';
import type { ApprovalRecord } from '../approvals/record';
import { approvalScope, type SlackWork } from '../approvals/slack/deferred';
import { decisionFollowUp, type ApprovalWiring } from './approvals';
import type { RuntimeLog } from './aws';
import { gcpApprovalWiring } from './gcp-approvals';
import { GcsProcessedEvents, MemoryProcessedEvents, type ProcessedEvents } from './processed-events';
import { needsRetry, type WorkMessage } from './work';

/** Environment variables infra/gcp/main.tf sets on every function. */
export const GCP_ENV = {
  policyFile: 'PEERKEEPER_POLICY_FILE',
  /** Extra own identities, comma-separated (service-account emails). */
  identities: 'PEERKEEPER_IDENTITIES',
  /** The functions' runtime service account: its audit-logged calls are peerkeeper's own. */
  serviceAccount: 'PEERKEEPER_SERVICE_ACCOUNT',
  workTopic: 'PEERKEEPER_WORK_TOPIC',
  deadLetterTopic: 'PEERKEEPER_DEAD_LETTER_TOPIC',
  /** Slack decisions the approval endpoint queued for the approval worker. */
  approvalTopic: 'PEERKEEPER_APPROVAL_TOPIC',
  /** Bucket for the audit log and processed event ids; without it both stay in memory. */
  stateBucket: 'PEERKEEPER_STATE_BUCKET',
  gcsEndpoint: 'PEERKEEPER_GCS_ENDPOINT',
  /** The function's timeout (Terraform `timeout_seconds`); gen2 does not tell the code. */
  timeoutSeconds: 'PEERKEEPER_TIMEOUT_SECONDS',
  /** The Pub/Sub topic outcomes are published to (accepted, rejected, reverted, approval requested…). */
  outcomeTopic: 'PEERKEEPER_OUTCOME_TOPIC',
} as const;

/** Everything a test may replace; anything left out is built from the environment. */
export interface GcpRuntimeOverrides {
  env?: NodeJS.ProcessEnv;
  policy?: Policy;
  providers?: Partial<Record<Cloud, PeeringProvider>>;
  audit?: AuditLog;
  publisher?: MessagePublisher;
  processed?: ProcessedEvents;
  now?: () => Date;
  log?: RuntimeLog;
  /** Approval wiring (store + chat) for `request-approval` actions and decided requests. */
  approvals?: Pick<ReconcileDeps, 'requestApproval' | 'decisions' | 'approvals'>;
  /** The whole approval wiring (store, audit, chat): what the approval functions and the sweep use. */
  approvalWiring?: ApprovalWiring;
  /** Where outcomes go; default the PEERKEEPER_OUTCOME_TOPIC topic, or nowhere when it is unset. */
  outcomes?: OutcomePublisher;
}

const silent: RuntimeLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** Event-driven gen2 functions run at most 540 s. */
const DEFAULT_TIMEOUT_SECONDS = 540;

/**
 * The composition root of the Google Cloud functions, built once per cold start and shared by every
 * concurrent invocation of the instance, so the adapter's per-network locks serialize their peering operations.
 */
export class GcpRuntime {
  readonly identities: readonly string[];
  private readonly timeoutMs: number;

  constructor(
    readonly policy: Policy,
    private readonly providers: Partial<Record<Cloud, PeeringProvider>>,
    private readonly publisher: MessagePublisher,
    readonly processed: ProcessedEvents,
    readonly log: RuntimeLog,
    private readonly opts: {
      env: NodeJS.ProcessEnv;
      now: () => Date;
      audit?: AuditLog;
      approvals?: GcpRuntimeOverrides['approvals'];
      approvalWiring?: ApprovalWiring;
      /** The outcomes topic (PEERKEEPER_OUTCOME_TOPIC): what peerkeeper did, for subscribers. */
      outcomes?: OutcomePublisher;
    },
  ) {
    const extra = (opts.env[GCP_ENV.identities] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const sa = opts.env[GCP_ENV.serviceAccount];
    this.identities = [...new Set([...policy.identities, ...(sa ? [sa] : []), ...extra])];
    this.timeoutMs = Number(opts.env[GCP_ENV.timeoutSeconds] ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  }

  /** Reconciles the trigger's scope until shortly before the function times out. `retry`: a retryable action failed. */
  async reconcileTrigger(
    trigger: Trigger,
    startedAt: number = Date.now(),
  ): Promise<{ result: ReconcileResult; retry: boolean }> {
    const result = await reconcileScope(
      trigger.scope,
      {
        policy: this.policy,
        providers: this.providers,
        now: this.opts.now,
        deadline: startedAt + this.timeoutMs,
        actor: 'peerkeeper',
        ...(this.opts.audit ? { audit: this.opts.audit } : {}),
        ...(this.opts.approvals ?? this.opts.approvalWiring?.reconcileDeps ?? {}),
      },
      trigger,
    );
    if (this.opts.outcomes) await this.opts.outcomes.publish(outcomeEvents(result, this.opts.now(), trigger));
    return { result, retry: needsRetry(result) };
  }

  /** The runtime's clock (tests pin it): Slack's signature window and decisions are judged by it. */
  now(): Date {
    return this.opts.now();
  }

  /** Approvals of this deployment (undefined without the state bucket, e.g. in some tests). */
  get approvals(): ApprovalWiring | undefined {
    return this.opts.approvalWiring;
  }

  /** Queues Slack work on the approval topic for the approval worker (one message, < 4 KB). */
  async enqueueApproval(work: SlackWork): Promise<void> {
    await this.publisher.publish(this.topic(GCP_ENV.approvalTopic), [{ data: work, attributes: { kind: work.kind } }]);
  }

  /**
   * Reconciles the peering a human just decided (its accepter's side). Returns what the decider should be
   * told when the decision could not be carried out; a redelivered decision of the same version is a duplicate.
   */
  async reconcileApproval(
    record: ApprovalRecord,
    startedAt: number,
  ): Promise<{ followUp: string | undefined; retry: boolean }> {
    const eventId = `approval:${record.id}:v${record.version}`;
    if (await this.processed.has(eventId)) return { followUp: undefined, retry: false };
    const trigger: Trigger = {
      scope: approvalScope(record),
      kind: 'approval',
      eventId,
      source: 'Slack decision',
      ...(record.decidedBy ? { actor: record.decidedBy } : {}),
    };
    const { result, retry } = await this.reconcileTrigger(trigger, startedAt);
    // A result with retryable failures is not remembered, so the next sweep (or a redelivery) runs it again.
    if (!retry) await this.processed.add(eventId);
    return { followUp: decisionFollowUp(record, result), retry };
  }

  /** Closes expired approvals and says so on their messages: once per sweep run. 0 without approvals. */
  async expireApprovals(): Promise<number> {
    if (!this.opts.approvalWiring) return 0;
    return (await this.opts.approvalWiring.expireDue(this.opts.now())).length;
  }

  /** The projects to sweep: the adapter's discovery (policy projects + folder / organization children), else the policy's. */
  async sweepProjects(): Promise<string[]> {
    const gcp = this.providers.gcp;
    const partitions =
      gcp instanceof GcpPeeringAdapter
        ? await gcp.partitions()
        : partitionsFor({ kind: 'estate' }, this.policy, ['gcp']);
    return [...new Set(partitions.map((p) => p.account))].sort();
  }

  /** The sweep's fan-out: one work message per project, so each fits one worker invocation however large the organization. */
  async fanOut(eventId: string, at?: string): Promise<number> {
    const messages: { data: WorkMessage; attributes: Record<string, string> }[] = (await this.sweepProjects()).map(
      (project) => ({
        data: {
          trigger: {
            scope: { kind: 'account', cloud: 'gcp', account: project },
            kind: 'sweep',
            eventId: `${eventId}:${project}`,
            source: 'Cloud Scheduler',
            ...(at ? { at } : {}),
          },
        },
        attributes: { project },
      }),
    );
    return messages.length === 0 ? 0 : this.publisher.publish(this.topic(GCP_ENV.workTopic), messages);
  }

  /** Parks an input that can never succeed on the dead-letter topic, with the reason, and logs it. */
  async deadLetter(input: unknown, error: Error): Promise<void> {
    this.log.error('terminal error: input dead-lettered', { error: error.message, errorName: error.name });
    const topic = this.opts.env[GCP_ENV.deadLetterTopic];
    if (!topic) return;
    await this.publisher.publish(topic, [{ data: { error: { name: error.name, message: error.message }, input } }]);
  }

  private topic(name: string): string {
    const topic = this.opts.env[name];
    if (!topic) throw new Error(`${name} is not set; infra/gcp/main.tf sets it on every function`);
    return topic;
  }
}

/** The bundled policy file (see bundledPolicyPath). */
export const gcpPolicyPath = bundledPolicyPath;

/** Builds the runtime from the environment, with any piece replaced (tests inject providers, publisher, stores). */
export function createGcpRuntime(overrides: GcpRuntimeOverrides = {}): GcpRuntime {
  const env = overrides.env ?? process.env;
  const now = overrides.now ?? (() => new Date());
  const file = gcpPolicyPath(env);
  const policy = overrides.policy ?? loadPolicyFile(file);
  const bucket = env[GCP_ENV.stateBucket];
  const gcs = bucket ? { bucket, ...gcsAccess(env) } : undefined;
  const audit = overrides.audit ?? (gcs ? new GcsAuditLog(gcs) : undefined);
  const log = overrides.log ?? silent;
  // Approvals live in the state bucket; without it (tests) only an injected wiring has them.
  const approvalWiring =
    overrides.approvalWiring ??
    (gcs ? gcpApprovalWiring(policy, env, log, gcs, now, audit ? { audit } : {}) : undefined);
  const publisher = overrides.publisher ?? createPubSubPublisher(env);
  const outcomeTopic = env[GCP_ENV.outcomeTopic];
  const outcomes =
    overrides.outcomes ??
    (outcomeTopic ? new PubSubOutcomePublisher({ topic: outcomeTopic, publisher, log }) : undefined);
  return new GcpRuntime(
    policy,
    overrides.providers ?? { gcp: createGcpProvider(policy, env) },
    publisher,
    overrides.processed ?? (gcs ? new GcsProcessedEvents(gcs) : new MemoryProcessedEvents(now)),
    log,
    {
      env,
      now,
      ...(audit ? { audit } : {}),
      ...(outcomes ? { outcomes } : {}),
      ...(overrides.approvals ? { approvals: overrides.approvals } : {}),
      ...(approvalWiring ? { approvalWiring } : {}),
    },
  );
}

/** GCS endpoint and token: the local emulator unauthenticated, else ADC with the read/write storage scope. */
function gcsAccess(env: NodeJS.ProcessEnv): { baseUrl?: string; getAccessToken?: () => Promise<string | undefined> } {
  if (env[GCP_ENV.gcsEndpoint]) return { baseUrl: env[GCP_ENV.gcsEndpoint] };
  const tokens = applicationDefaultCredentials(['https://www.googleapis.com/auth/devstorage.read_write']);
  return {
    getAccessToken: async () =>
      (await tokens.headers('https://storage.googleapis.com/')).authorization?.replace(/^Bearer /i, ''),
  };
}
