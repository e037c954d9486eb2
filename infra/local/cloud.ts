import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApprovalRecord } from '../../shared/approvals';
import { approvalScope } from '../../shared/approvals/slack/deferred';
import { buildTopology, renderSvg, type Topology } from '../../shared/graph';
import type { Cloud } from '../../shared/model';
import { loadPolicy, type Policy } from '../../shared/policy';
import { createAwsProvider } from '../../shared/providers/aws';
import { createAzureProvider } from '../../shared/providers/azure';
import { createGcpProvider } from '../../shared/providers/gcp';
import type { PeeringProvider } from '../../shared/providers/port';
import { reconcileScope, type ReconcileResult } from '../../shared/reconcile';
import { decisionFollowUp } from '../../shared/runtime/approvals';
import { FileApprovalStore, FileAuditLog } from '../../shared/stores/file';
import { MemoryApprovalStore, MemoryAuditLog } from '../../shared/stores/memory';
import type { AuditLog } from '../../shared/stores/ports';
import { startApprovalEndpoint, type ApprovalEndpoint } from './approval-endpoint';
import { startAwsEmulator, type AwsEmulator } from './aws';
import { startAzureEmulator, type AzureEmulator } from './azure';
import { LocalBus } from './bus';
import { startChatServer, type ChatServer } from './chat/server';
import { ChatWorkspace } from './chat/workspace';
import { LOCAL_SLACK, localApprovals, type LocalApprovalWiring } from './functions/approvals';
import { localAwsFunctions, type LocalAwsFunctions } from './functions/aws';
import { localAzureFunctions, type LocalAzureFunctions } from './functions/azure';
import { localGcpFunctions, type LocalGcpFunctions } from './functions/gcp';
import { startGcpEmulator, type GcpEmulator } from './gcp';
import { seedLocalOrganization } from './organization';
import { seedLocalTransit } from './transit-estate';

/** The policy the scenario is written for. */
export const LOCAL_POLICY_FILE = join(__dirname, 'policy.yaml');
/** Static credentials of the EC2 emulator's hub account (plain keys belong to the hub; assumed roles carry their account). */
export const LOCAL_AWS_CREDENTIALS = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' } as const;

/** What `npm start -- --interactive` writes for `peerkeeper … --provider local` (.peerkeeper/local.json). */
export interface LocalCloudEndpoints {
  aws: string;
  azure: string;
  gcp: string;
  chat: string;
  approvals: string;
  policy: string;
}

/** Options of the local cloud. */
export interface LocalCloudOptions {
  policyFile?: string;
  /** Keep approvals and the audit log in files here (the CLI's --state-dir); default in memory. */
  stateDir?: string;
  log?: (line: string) => void;
  /**
   * The clock of the EC2 emulator, the AWS runtime, the approval endpoint and the chat stand-in (default: the
   * wall clock). Tests move it forward to let approvals and pending requests expire without waiting 72 h.
   */
  now?: () => Date;
}

/** Everything `npm start` runs in one process. */
export interface LocalCloud {
  policy: Policy;
  endpoints: LocalCloudEndpoints;
  aws: AwsEmulator;
  azure: AzureEmulator;
  gcp: GcpEmulator;
  bus: LocalBus;
  functions: { aws: LocalAwsFunctions; azure: LocalAzureFunctions; gcp: LocalGcpFunctions };
  approvals: LocalApprovalWiring;
  audit: AuditLog;
  chat: ChatServer;
  workspace: ChatWorkspace;
  endpoint: ApprovalEndpoint;
  /** The adapters the CLI's `--provider local` builds, for plans and pictures. */
  providers: Partial<Record<Cloud, PeeringProvider>>;
  /** A read-only plan of the whole estate (what `peerkeeper plan --provider local` prints). */
  plan(): Promise<ReconcileResult>;
  /** Resolves when every event, work message and approval reconcile in flight (and what they caused) is done. */
  settled(): Promise<void>;
  /** The topology as it stands, with drift and open approvals. */
  topology(): Promise<Topology>;
  close(): Promise<void>;
}

/** Points the AWS SDK's default credential chain at the emulator's hub account (this process talks only to loopback). */
export function useLocalAwsCredentials(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_ACCESS_KEY_ID = LOCAL_AWS_CREDENTIALS.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = LOCAL_AWS_CREDENTIALS.secretAccessKey;
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  env.AWS_REGION ??= 'us-east-1';
}

/** The adapters of all three clouds pointed at a running local cloud. */
export function localProviders(
  policy: Policy,
  endpoints: Pick<LocalCloudEndpoints, 'aws' | 'azure' | 'gcp'>,
): Partial<Record<Cloud, PeeringProvider>> {
  useLocalAwsCredentials();
  return {
    aws: createAwsProvider(policy, { AWS_ENDPOINT_URL: endpoints.aws, AWS_REGION: 'us-east-1' }),
    azure: createAzureProvider(policy, { PEERKEEPER_AZURE_ENDPOINT: endpoints.azure }),
    gcp: createGcpProvider(policy, {
      PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${endpoints.gcp}/compute/v1`,
      CLOUDSDK_CONFIG: '/nonexistent',
    }),
  };
}

/**
 * Starts the local cloud: the three wire-level emulators, the real function handlers behind a local event
 * bus, the embedded stores, the approval endpoint and the chat stand-in — all on 127.0.0.1, ports chosen
 * by the OS. Nothing is scripted here; the scenario (or a person) drives it.
 */
export async function startLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const log = opts.log ?? (() => undefined);
  const now = opts.now ?? (() => new Date());
  const policyFile = opts.policyFile ?? LOCAL_POLICY_FILE;
  const { policy } = loadPolicy(readFileSync(policyFile, 'utf8'), policyFile);
  useLocalAwsCredentials();
  const listed = new Set(policy.providers.aws?.accounts ?? []);
  const inOrganization = (account: string) =>
    listed.has(account) || aws.organization.accounts.get(account)?.state === 'ACTIVE';
  // Calls made in accounts outside the organization are logged in their CloudTrail, not ours: the pending poll finds them.
  // Member accounts forward their calls through the StackSet, which reaches every new account of the organization.
  const bus = new LocalBus(
    {},
    (cloud, event) => cloud !== 'aws' || inOrganization(String((event as { account?: unknown }).account)),
    log,
  );
  const aws = await startAwsEmulator({
    onEvent: (e) => bus.publish('aws', e),
    onOrganizationEvent: (e) => bus.publish('aws', e),
    now,
  });
  const azure = await startAzureEmulator({ onEvent: (e) => bus.publish('azure', e), now });
  // ARM long-running operations complete on the first poll here (Azure polls every few seconds; the story needs none).
  azure.state.lroPolls = 0;
  const gcp = await startGcpEmulator({ onEvent: (e) => bus.publish('gcp', e), waitTimeoutMs: 5_000, now });
  // Compute operations finish in tens of milliseconds here, not seconds: the scenario stays well inside a minute.
  gcp.state.timing.pendingMs = 5;
  gcp.state.timing.runningMs = 20;
  // The transit hubs first: their AWS ids are the EC2 emulator's first (policy.yaml names them).
  seedLocalTransit(aws, azure, gcp);
  seedLocalOrganization(aws, azure, gcp);
  const store = opts.stateDir ? new FileApprovalStore(join(opts.stateDir, 'approvals')) : new MemoryApprovalStore();
  const audit: AuditLog = opts.stateDir ? new FileAuditLog(join(opts.stateDir, 'audit')) : new MemoryAuditLog();
  const workspace = new ChatWorkspace(LOCAL_SLACK.token, now);
  // The local SQS: work messages (sweep, pending poll) are handed to the sweep worker at once; tracked so `settled` waits.
  const inflight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    const done = work.catch((e: unknown) => log(`aws sweep-worker: ${e instanceof Error ? e.message : String(e)}`));
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
  };
  // The chat server starts first (the notifier needs its URL); it learns the approval endpoint's URL once that is up.
  const approvalEndpoint: { url?: string } = {};
  let topologyOf: () => Promise<Topology> = async () => ({ accounts: [], edges: [], changes: 0 });
  const approver = policy.approvals.approvers.find((a) => !a.startsWith('S')) ?? 'U0LOCAL';
  const chat = await startChatServer({
    workspace,
    signingSecret: LOCAL_SLACK.signingSecret,
    approvalUrl: () => approvalEndpoint.url ?? '',
    topology: async () => renderSvg(await topologyOf()),
    defaultUser: { id: approver, name: 'local-approver' },
    now,
  });
  const approvals = localApprovals({ policy, store, audit, slackBaseUrl: `${chat.url}/api`, log });
  const functions = {
    aws: localAwsFunctions({
      policy,
      endpoint: aws.url,
      audit,
      approvals,
      log,
      now,
      onWork: (messages) => track(functions.aws.sweepWorker(messages)),
    }),
    azure: localAzureFunctions({ policy, endpoint: azure.url, audit, approvals, log, now }),
    gcp: localGcpFunctions({ policy, origin: gcp.url, audit, approvals, log, now }),
  };
  bus.attach({ aws: functions.aws.networkEvent, azure: functions.azure.eventGrid, gcp: functions.gcp.auditEvent });
  const endpoint = await startApprovalEndpoint({
    signingSecret: LOCAL_SLACK.signingSecret,
    service: approvals.service,
    notifier: approvals.notifier,
    log,
    now,
    reconcile: (record) => reconcileDecision(functions, record),
  });
  approvalEndpoint.url = endpoint.url;
  const endpoints: LocalCloudEndpoints = {
    aws: aws.url,
    azure: azure.url,
    gcp: gcp.url,
    chat: chat.url,
    approvals: endpoint.url,
    policy: policyFile,
  };
  const providers = localProviders(policy, endpoints);
  const plan = () =>
    reconcileScope({ kind: 'estate' }, { policy, providers, mode: 'observe', approvals: approvals.gateway });
  topologyOf = async () => {
    const result = await plan();
    const states = await approvals.gateway.states(result.observation.peerings);
    return buildTopology({ observation: result.observation, plan: result.plan, approvals: states });
  };
  async function settled(): Promise<void> {
    do {
      await bus.idle();
      await Promise.all([...inflight]);
      await endpoint.settled();
    } while (bus.pending > 0 || inflight.size > 0);
  }
  return {
    policy,
    endpoints,
    aws,
    azure,
    gcp,
    bus,
    functions,
    approvals,
    audit,
    chat,
    workspace,
    endpoint,
    providers,
    plan,
    topology: () => topologyOf(),
    settled,
    close: async () => {
      await settled();
      await Promise.all([aws.close(), azure.close(), gcp.close(), chat.close(), endpoint.close()]);
    },
  };
}

/**
 * After a decision, the approval function reconciles the request in its cloud (approvalScope: a peering from the
 * accepter's side, an attachment from the spoke's). Returns what the decider must be told when the decision could
 * not be carried out (e.g. now unsafe).
 */
async function reconcileDecision(
  functions: LocalCloud['functions'],
  record: ApprovalRecord,
): Promise<string | undefined> {
  const trigger = {
    scope: approvalScope(record),
    kind: 'approval' as const,
    eventId: `approval:${record.id}:${record.status}`,
    source: 'Chat decision',
  };
  const result = await functions[record.cloud].reconcile(trigger);
  return result ? decisionFollowUp(record, result) : undefined;
}
