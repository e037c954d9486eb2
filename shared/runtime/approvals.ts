import {
  approvalGateway,
  ApprovalService,
  ConsoleNotifier,
  SlackClient,
  SlackNotifier,
  type ApprovalGateway,
  type ApprovalRecord,
  type Notifier,
} from '../approvals';
import { DeclaredRequestRegistry } from '../approvals/declared';
import { isAttachmentAction, networkKey } from '../model';
import type { Policy } from '../policy';
import type { ReconcileDeps, ReconcileResult } from '../reconcile';
import type { SecretSource } from '../providers/secrets';
import type { ApprovalStore, AuditLog } from '../stores/ports';
import type { RuntimeLog } from './aws-runtime';

/** Settings every cloud's deployment sets for chat (serverless.yml, infra/azure, infra/gcp). */
export const APPROVAL_ENV = {
  /** SSM parameter / Key Vault secret / Secret Manager secret holding the Slack bot token (xoxb-…). */
  slackTokenSecret: 'PEERKEEPER_SLACK_TOKEN_SECRET',
  /** … holding the Slack signing secret. */
  slackSigningSecret: 'PEERKEEPER_SLACK_SIGNING_SECRET',
  /** Channel id for approval messages when the policy names none. */
  slackChannel: 'PEERKEEPER_SLACK_CHANNEL',
  /** Slack Web API base URL (tests and the local cloud point it at a stand-in). */
  slackApiUrl: 'PEERKEEPER_SLACK_API_URL',
} as const;

/**
 * Approvals in one cloud deployment: the service over that cloud's store and audit log, announced in Slack
 * when the two secrets are configured, else written to the function log (decide with the CLI then). Secrets
 * are read on first use, once per instance, and never logged.
 */
/** An approval still pending this close to its expiry pages someone (the near-expiry alarm in every cloud): 12 h is a working day to decide. */
export const NEAR_EXPIRY_MS = 12 * 3_600_000;

/** Pending approvals of a deployment that expire within `withinMs` of `now` (0 without approvals). */
export async function approvalsExpiringWithin(
  wiring: ApprovalWiring | undefined,
  now: Date,
  withinMs: number = NEAR_EXPIRY_MS,
): Promise<number> {
  if (!wiring) return 0;
  const by = now.getTime() + withinMs;
  return (await (await wiring.service()).pending()).filter((r) => Date.parse(r.expiresAt) <= by).length;
}

export class ApprovalWiring {
  readonly declared: DeclaredRequestRegistry;
  /** What ReconcileDeps takes: decisions read before planning, `request-approval` opens one, declared requests merged. */
  readonly reconcileDeps: Pick<ReconcileDeps, 'approvals' | 'declaredRequests'>;
  private built: Promise<{ service: ApprovalService; notifier: Notifier }> | undefined;

  constructor(
    private readonly options: {
      policy: Policy;
      store: ApprovalStore;
      audit: AuditLog;
      secrets?: SecretSource;
      env: NodeJS.ProcessEnv;
      log: RuntimeLog;
      now: () => Date;
      fetch?: typeof fetch;
    },
  ) {
    this.declared = new DeclaredRequestRegistry(options.store);
    this.reconcileDeps = { approvals: this.gateway(), declaredRequests: this.declared.peerings(options.now) };
  }

  /** The service (built on first use: the bot token is read then). */
  async service(): Promise<ApprovalService> {
    return (await this.build()).service;
  }

  async notifier(): Promise<Notifier> {
    return (await this.build()).notifier;
  }

  /** The signing secret, or undefined when chat is not configured (the endpoint then refuses everything). */
  async signingSecret(): Promise<string | undefined> {
    const name = this.options.env[APPROVAL_ENV.slackSigningSecret];
    return name && this.options.secrets ? this.options.secrets.get(name) : undefined;
  }

  /** Closes approvals past their expiry and updates their messages (the sweep calls this once per run). */
  async expireDue(now: Date): Promise<ApprovalRecord[]> {
    return (await this.service()).expireDue(now);
  }

  private gateway(): ApprovalGateway {
    const inner = async () => approvalGateway(await this.service());
    return {
      states: async (peerings) => (await inner()).states(peerings),
      request: async (action, peeringId, context) => (await inner()).request(action, peeringId, context),
    };
  }

  private build(): Promise<{ service: ApprovalService; notifier: Notifier }> {
    this.built ??= this.create().catch((error: unknown) => {
      this.built = undefined;
      throw error;
    });
    return this.built;
  }

  private async create(): Promise<{ service: ApprovalService; notifier: Notifier }> {
    const { policy, store, audit, env, log, secrets } = this.options;
    const tokenName = env[APPROVAL_ENV.slackTokenSecret];
    const channel = policy.approvals.channel ?? env[APPROVAL_ENV.slackChannel];
    const token = tokenName && secrets ? await secrets.get(tokenName) : undefined;
    const line = (text: string) => log.info(text);
    let notifier: Notifier;
    let slack: SlackNotifier | undefined;
    if (token && channel) {
      const baseUrl = env[APPROVAL_ENV.slackApiUrl];
      slack = new SlackNotifier({
        client: new SlackClient({
          token,
          ...(baseUrl ? { baseUrl } : {}),
          ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        }),
        channel,
      });
      notifier = slack;
    } else {
      if (tokenName)
        log.warn(
          'Slack is not usable (bot token secret missing or empty, or no channel); approvals go to the log and the CLI',
          { secret: tokenName },
        );
      notifier = new ConsoleNotifier(line);
    }
    const service = new ApprovalService({
      store,
      audit,
      notifier,
      approvers: policy.approvals.approvers,
      ...(slack ? { directory: slack } : {}),
      log: (text) => log.warn(text),
    });
    return { service, notifier };
  }
}

/**
 * What the decider is told after the decided peering was reconciled: undefined when the decision was carried
 * out (accepted / rejected, or already so), else why not — e.g. the request became unsafe meanwhile.
 */
export function decisionFollowUp(record: ApprovalRecord, result: ReconcileResult): string | undefined {
  const spoke = networkKey(record.requester);
  const mine = result.results.filter(
    (r) =>
      ('target' in r.action && 'requester' in r.action.target && r.action.target.id === record.peeringId) ||
      (isAttachmentAction(r.action) && networkKey(r.action.target.network) === spoke) ||
      (r.action.action === 'report' && r.action.target.subject.includes(record.peeringId)),
  );
  // An approved attachment is created (before one exists) or accepted; a rejected one is rejected if it exists.
  const wanted =
    record.link === 'attachment'
      ? record.status === 'approved'
        ? ['accept-attachment', 'create-attachment']
        : ['reject-attachment']
      : [record.status === 'approved' ? 'accept-peering' : 'reject-peering'];
  const attempt = mine.find((r) => wanted.includes(r.action.action));
  if (attempt && (attempt.status === 'done' || attempt.status === 'converged')) return undefined;
  const verb = record.status === 'approved' ? 'accept' : 'reject';
  if (attempt)
    return `\`${record.id}\` was ${record.status}, but ${verb}ing ${record.peeringId} ${attempt.status === 'observed' ? 'was only planned (observe mode)' : `ended ${attempt.status}: ${attempt.error?.message ?? attempt.detail ?? 'no detail'}`}.`;
  const other = mine[0];
  if (other)
    return `\`${record.id}\` was ${record.status}, but peerkeeper did not ${verb} ${record.peeringId}: ${other.action.reason}.`;
  const peering = result.observation.peerings.find((p) => p.id === record.peeringId && p.cloud === record.cloud);
  if (peering && peering.state !== 'requested') return undefined;
  // A rejected attachment that was never created needs nothing; one that exists and is no longer pending is decided.
  if (record.link === 'attachment') {
    const attachment = result.observation.attachments?.find((a) => a.id === record.peeringId);
    if (record.status === 'rejected' && (!attachment || attachment.state !== 'requested')) return undefined;
  } // already active / rejected: nothing left to do
  return `\`${record.id}\` was ${record.status}, but peerkeeper no longer sees ${record.peeringId} as a pending request; nothing was changed.`;
}
