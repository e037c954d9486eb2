import { ConvergedError, TerminalError } from '../../errors';
import { mergeObservations, type Action, type Observation, type Scope } from '../../model';
import { normalizeGcpContainer, organizationSelection } from '../../policy/organization';
import type { Policy } from '../../policy/schema';
import { type DiscoveredAccount, OrganizationDirectory } from '../organization-directory';
import type { ApplyContext, ApplyOutcome, Partition, PeeringProvider } from '../port';
import { GcpApplier, isTyped } from './apply';
import type { ComputeClient, RetryPolicy } from './client';
import { connectCompute } from './connect';
import { NetworkLocks } from './networkLocks';
import { observeProjects } from './observe';
import { observeNcc } from './observeNcc';
import { GcpResourceManagerSource } from './organization';

export { ComputeClient, DEFAULT_RETRY, type RetryPolicy, type TokenSource, type ComputeOperation } from './client';
export {
  connectCompute,
  gcpConnection,
  anonymous,
  staticToken,
  applicationDefaultCredentials,
  DEFAULT_COMPUTE_ENDPOINT,
} from './connect';
export { GCP_PERMISSIONS, allGcpPermissions } from './permissions';
export { readAutoAccept, writeAutoAccept } from './nccGroups';
export {
  createPubSubPublisher,
  PubSubRestPublisher,
  PUBSUB_PERMISSIONS,
  DEFAULT_PUBSUB_ENDPOINT,
  type MessagePublisher,
} from './pubsub';
export { GCP_ROUTE_TABLE_ID, MANAGED_PEERING_PREFIX, managedPeeringName, gcpNetworkRef, halfId } from './toModel';

/** Where the adapter looks: explicit projects, and/or every project under folders or organizations (nested folders included). */
export interface GcpAdapterOptions {
  client: ComputeClient;
  projects?: readonly string[];
  folder?: string;
  organization?: string;
  /** Folders and organizations the policy's groups select (`folders/N`, `organizations/N`). */
  selectedContainers?: readonly string[];
  /** Projects read in parallel (default 4). */
  concurrency?: number;
  /**
   * Whether to read Network Connectivity Center hubs and spokes (2+ reads per project). Default true; a policy that
   * declares no GCP transit hub turns it off (createGcpProvider), so peering-only estates keep their read budget.
   */
  transit?: boolean;
}

/** The GCP VPC Network Peering adapter behind the provider port. */
export class GcpPeeringAdapter implements PeeringProvider {
  readonly cloud = 'gcp' as const;
  private readonly locks = new NetworkLocks();
  private readonly applier: GcpApplier;
  private discovered: Set<string> | undefined;
  private readonly rediscoveredFor = new Set<string>();
  /** Discovery under folders and organizations (absent when the policy names none). */
  readonly directory: OrganizationDirectory | undefined;

  constructor(private readonly opts: GcpAdapterOptions) {
    this.applier = new GcpApplier(opts.client, this.locks, (p) => this.ownsProject(p));
    const roots = [
      ...new Set([
        ...(opts.folder ? [normalizeGcpContainer('folders', opts.folder)] : []),
        ...(opts.organization ? [normalizeGcpContainer('organizations', opts.organization)] : []),
        ...(opts.selectedContainers ?? []),
      ]),
    ].sort();
    // A looked-up project counts only under a selected folder or organization (projects.get answers for any project we may read).
    this.directory =
      roots.length === 0
        ? undefined
        : new OrganizationDirectory('gcp', new GcpResourceManagerSource(opts.client, roots), (a) =>
            a.ancestors.some((u) => roots.includes(u.id)),
          );
  }

  /**
   * The projects to observe: the configured ones plus the ACTIVE projects under the folders and organizations,
   * nested folders included (Resource Manager v3). The sweep walks them; a project event (CreateProject,
   * MoveProject) looks that project up; other events reuse what the run found.
   */
  async partitions(scope?: Scope): Promise<Partition[]> {
    const found = new Set(this.opts.projects ?? []);
    if (this.directory) {
      await this.directory.prepare(scope);
      for (const a of this.directory.governed()) found.add(a.account);
    }
    this.discovered = found;
    return [...found].sort().map((account) => ({ cloud: 'gcp', account, region: 'global' }));
  }

  /** What discovery found, governed or not (see the port). */
  discoveredAccounts(): readonly DiscoveredAccount[] {
    return this.directory?.all() ?? [];
  }

  /** Reads the projects of the partitions (other clouds' partitions are ignored). Never mutates. */
  async observe(partitions: readonly Partition[]): Promise<Observation> {
    const projects = partitions.filter((p) => p.cloud === 'gcp').map((p) => p.account);
    const concurrency = this.opts.concurrency ?? 4;
    // Networks and peerings (Compute), then Network Connectivity Center hubs and spokes of the same projects.
    const [networks, transit] = await Promise.all([
      observeProjects(this.opts.client, projects, { concurrency }),
      this.opts.transit === false
        ? { complete: true, gaps: [], accounts: [], networks: [], peerings: [] }
        : observeNcc(this.opts.client, projects, { concurrency }),
    ]);
    const observed = mergeObservations([networks, transit]);
    return this.directory ? this.directory.decorate(observed) : observed;
  }

  /** Performs one action; throws only RetryableError / TerminalError. */
  async apply(action: Action, context: ApplyContext): Promise<ApplyOutcome> {
    if (action.cloud !== 'gcp') throw new TerminalError(`the GCP adapter cannot apply a ${action.cloud} action`);
    if (this.directory && this.needsDiscovery(action)) await this.partitions();
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
    const projects =
      'network' in t ? [t.network.account] : 'requester' in t ? [t.requester.account, t.accepter.account] : [];
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
export function createGcpProvider(
  policy: Policy,
  env: NodeJS.ProcessEnv = process.env,
  retry?: RetryPolicy,
): GcpPeeringAdapter {
  const gcp = policy.providers.gcp;
  return new GcpPeeringAdapter({
    client: connectCompute(env, retry),
    projects: policyProjects(policy),
    ...(gcp?.folder ? { folder: gcp.folder } : {}),
    ...(gcp?.organization ? { organization: gcp.organization } : {}),
    selectedContainers: organizationSelection(policy, 'gcp').ids,
    transit: Object.values(policy.transitHubs).some((h) => h.cloud === 'gcp'),
  });
}
