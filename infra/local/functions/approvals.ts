import {
  approvalGateway,
  ApprovalService,
  SlackClient,
  SlackNotifier,
  type ApprovalGateway,
} from '../../../shared/approvals';
import type { Policy } from '../../../shared/policy';
import type { ReconcileDeps } from '../../../shared/reconcile';
import type { ApprovalStore, AuditLog } from '../../../shared/stores/ports';

/** The local Slack workspace: the bot token the stand-in accepts and the secret interactive payloads are signed with. */
export const LOCAL_SLACK = {
  token: 'xoxb-peerkeeper-local',
  signingSecret: 'peerkeeper-local-signing-secret',
  channel: 'C0NETWORKS',
} as const;

/** One approval service for the whole local cloud (each real cloud has its own; locally they share the store). */
export interface LocalApprovalWiring {
  service: ApprovalService;
  gateway: ApprovalGateway;
  /** Posts and updates messages in the chat stand-in; answers clicks through response_url. */
  notifier: SlackNotifier;
  /**
   * What the runtimes' `approvals` override receives. Their override type names only `requestApproval` and
   * `decisions`, but they spread it into ReconcileDeps, so the gateway rides along under `approvals`
   * (reads every decision before planning, opens approvals with the request's CIDRs).
   */
  runtime: Pick<ReconcileDeps, 'requestApproval' | 'decisions'>;
}

/** Approvals over `store`, announced in the chat stand-in at `slackBaseUrl` through the real SlackClient. */
export function localApprovals(opts: {
  policy: Policy;
  store: ApprovalStore;
  audit: AuditLog;
  slackBaseUrl: string;
  log: (line: string) => void;
}): LocalApprovalWiring {
  const client = new SlackClient({ token: LOCAL_SLACK.token, baseUrl: opts.slackBaseUrl });
  const notifier = new SlackNotifier({ client, channel: opts.policy.approvals.channel ?? LOCAL_SLACK.channel });
  const service = new ApprovalService({
    store: opts.store,
    audit: opts.audit,
    notifier,
    directory: notifier,
    approvers: opts.policy.approvals.approvers,
    log: opts.log,
  });
  const gateway = approvalGateway(service);
  const withGateway: Pick<ReconcileDeps, 'requestApproval' | 'decisions' | 'approvals'> = { approvals: gateway };
  return { service, gateway, notifier, runtime: withGateway };
}
