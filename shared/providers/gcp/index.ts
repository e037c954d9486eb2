import { ConvergedError, TerminalError } from '../../errors';
import type { Action, Observation } from '../../model';
import type { Policy } from '../../policy/schema';
import type { ApplyContext, ApplyOutcome, Partition, PeeringProvider } from '../port';
import { GcpApplier, isTyped } from './apply';
import type { ComputeClient, RetryPolicy } from './client';
import { connectCompute } from './connect';
import { NetworkLocks } from './networkLocks';
import { observeProjects } from './observe';

export { ComputeClient, DEFAULT_RETRY, type RetryPolicy, type TokenSource, type ComputeOperation } from './client';
export { connectCompute, gcpConnection, anonymous, staticToken, applicationDefaultCredentials, DEFAULT_COMPUTE_ENDPOINT } from './connect';
export { GCP_PERMISSIONS, allGcpPermissions } from './permissions';
export { createPubSubPublisher, PubSubRestPublisher, PUBSUB_PERMISSIONS, DEFAULT_PUBSUB_ENDPOINT, type MessagePublisher } from './pubsub';
export { GCP_ROUTE_TABLE_ID, MANAGED_PEERING_PREFIX, managedPeeringName, gcpNetworkRef, halfId } from './toModel';

/** Where the adapter looks: explicit projects, and/or the direct children of a folder or organization. */
export interface GcpAdapterOptions {
  client: ComputeClient;
  projects?: readonly string[];
  folder?: string;
  organization?: string;
  /** Projects read in parallel (default 4). */
  concurrency?: number;
}

interface ProjectListPage { projects?: { projectId: string; lifecycleState?: string }[]; nextPageToken?: string }

/** The GCP VPC Network Peering adapter behind the provider port. */
export class GcpPeeringAdapter implements PeeringProvider {
  readonly cloud = 'gcp' as const;
  private readonly locks = new NetworkLocks();
  private readonly applier: GcpApplier;
  private discovered: Set<string> | undefined;
  private readonly rediscoveredFor = new Set<string>();

  constructor(private readonly opts: GcpAdapterOptions) {
    this.applier = new GcpApplier(opts.client, this.locks, (p) => this.ownsProject(p));
  }

  /**
   * The projects to sweep: the configured ones plus the ACTIVE projects directly under the folder or
   * organization (Resource Manager v1 `parent.type:folder parent.id:N`; nested folders are not walked).
   */
  async partitions(): Promise<Partition[]> {
    const found = new Set(this.opts.projects ?? []);
    for (const [type, id] of [['folder', this.opts.folder], ['organization', this.opts.organization]] as const) {
      if (!id) continue;
      const filter = encodeURIComponent(`parent.type:${type} parent.id:${id.replace(/^(folders|organizations)\//, '')}`);
      const projects = await this.opts.client.listResourceManager<ProjectListPage, { projectId: string; lifecycleState?: string }>(
        `projects?filter=${filter}`, (p) => p.projects ?? []);
      for (const p of projects) if (!p.lifecycleState || p.lifecycleState === 'ACTIVE') found.add(p.projectId);
    }
    this.discovered = found;
    return [...found].sort().map((account) => ({ cloud: 'gcp', account, region: 'global' }));
  }

  /** Reads the projects of the partitions (other clouds' partitions are ignored). Never mutates. */
  observe(partitions: readonly Partition[]): Promise<Observation> {
    const projects = partitions.filter((p) => p.cloud === 'gcp').map((p) => p.account);
    return observeProjects(this.opts.client, projects, { concurrency: this.opts.concurrency ?? 4 });
  }

  /** Performs one action; throws only RetryableError / TerminalError. */
  async apply(action: Action, context: ApplyContext): Promise<ApplyOutcome> {
    if (action.cloud !== 'gcp') throw new TerminalError(`the GCP adapter cannot apply a ${action.cloud} action`);
    if ((this.opts.folder || this.opts.organization) && this.needsDiscovery(action)) await this.partitions();
    try {
      return await this.applier.apply(action, context);
    } catch (e) {
      if (e instanceof ConvergedError) return { status: 'converged', detail: e.message };
      if (isTyped(e)) throw e;
      throw new TerminalError(`${action.action}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /**
   * True before the first discovery, and when the action names a project discovery has not seen yet: a
   * project vended into the folder after the cold start is ours too. Each unknown project triggers one
   * re-discovery per instance (a partner's project stays unknown without a list call per action).
   */
  private needsDiscovery(action: Action): boolean {
    if (!this.discovered) return true;
    const t = action.target;
    const projects = 'network' in t ? [t.network.account] : 'requester' in t ? [t.requester.account, t.accepter.account] : [];
    const unknown = projects.filter((p) => !this.ownsProject(p) && !this.rediscoveredFor.has(p));
    unknown.forEach((p) => this.rediscoveredFor.add(p));
    return unknown.length > 0;
  }

  /** Halves on networks of these projects are ours to change; others belong to the peer. */
  ownsProject(project: string): boolean {
    return (this.opts.projects ?? []).includes(project) || (this.discovered?.has(project) ?? false);
  }
}

/** The projects a policy names: providers.gcp.projects plus every account of a gcp group. */
export function policyProjects(policy: Policy): string[] {
  const projects = new Set(policy.providers.gcp?.projects ?? []);
  for (const group of Object.values(policy.groups)) {
    if (group.cloud !== 'gcp' || group.account === undefined) continue;
    for (const a of typeof group.account === 'string' ? [group.account] : group.account) projects.add(a);
  }
  return [...projects].sort();
}

/** The adapter for a policy, connected as the environment says (see connect.ts). */
export function createGcpProvider(policy: Policy, env: NodeJS.ProcessEnv = process.env, retry?: RetryPolicy): GcpPeeringAdapter {
  const gcp = policy.providers.gcp;
  return new GcpPeeringAdapter({
    client: connectCompute(env, retry),
    projects: policyProjects(policy),
    ...(gcp?.folder ? { folder: gcp.folder } : {}),
    ...(gcp?.organization ? { organization: gcp.organization } : {}),
  });
}
