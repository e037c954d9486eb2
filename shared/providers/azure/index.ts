import type { TokenCredential } from '@azure/identity';
import { applyAzureAttachment } from './applyAttachment';
import { ConvergedError, PeerkeeperError, StaleActionError, TerminalError } from '../../errors';
import type { Action, Observation, Scope } from '../../model';
import { normalizeManagementGroup, organizationSelection } from '../../policy/organization';
import type { Policy } from '../../policy/schema';
import { type DiscoveredAccount, OrganizationDirectory } from '../organization-directory';
import type { ApplyContext, ApplyOutcome, Partition, PeeringProvider } from '../port';
import {
  acceptPeering,
  createPeering,
  deletePeering,
  type PeeringApplyDeps,
  rejectPeering,
  updatePeering,
} from './apply';
import { applyRoute } from './applyRoutes';
import {
  ArmClient,
  type ArmClientOptions,
  DEFAULT_ARM_ENDPOINT,
  defaultCredential,
  StaticTokenCredential,
} from './connect';
import { observeAzure } from './observe';
import { AzureManagementGroupSource } from './organization';

export { AZURE_PERMISSIONS, azureRoleActions } from './permissions';
export { ArmClient, StaticTokenCredential, DEFAULT_ARM_ENDPOINT, NETWORK_API_VERSION } from './connect';
export { joinHalves, MANAGED_HALF_PREFIX } from './toModel';
export { halfName } from './apply';
export { routeName } from './applyRoutes';

export interface AzureAdapterOptions {
  /** Subscription ids peerkeeper observes and may change. */
  subscriptions: readonly string[];
  /** Adds every subscription under this management group (see `partitions()`). */
  managementGroup?: string;
  /** Management groups the policy's groups select (nested groups included); their subscriptions are discovered too. */
  selectedManagementGroups?: readonly string[];
  tenantId?: string;
  /** Defaults to managed identity in Azure, the default credential chain elsewhere, a static token for a loopback endpoint. */
  credential?: TokenCredential;
  /**
   * ARM endpoint; default env `PEERKEEPER_AZURE_ENDPOINT`, then https://management.azure.com. Point
   * `PEERKEEPER_AZURE_ENDPOINT` at the local emulator (http://127.0.0.1:port) to run against it; the
   * token sent there is env `PEERKEEPER_AZURE_TOKEN` or `peerkeeper-local`.
   */
  endpoint?: string;
  env?: NodeJS.ProcessEnv;
  /** Subscriptions that own Virtual WAN hubs the policy declares: only these are listed for hubs. */
  transitSubscriptions?: readonly string[];
  /** Retry / polling knobs and test seams (sleep, clock, random). */
  client?: Omit<ArmClientOptions, 'endpoint' | 'credential'>;
}

/** Azure VNet peering and UDRs behind the provider port. */
export class AzurePeeringAdapter implements PeeringProvider {
  readonly cloud = 'azure' as const;
  readonly client: ArmClient;
  /** The subscriptions the policy lists. */
  private readonly explicit: ReadonlySet<string>;
  /** Listed plus discovered (governed) subscriptions: the ones this adapter may change. */
  private subscriptions: Set<string>;
  /** Lower-cased subscriptions whose Virtual WAN hubs are observed. */
  private readonly transitSubscriptions: ReadonlySet<string>;
  /** Discovery under the management groups (absent when the policy names none). */
  readonly directory: OrganizationDirectory | undefined;

  constructor(options: AzureAdapterOptions) {
    const env = options.env ?? process.env;
    const endpoint = options.endpoint ?? env.PEERKEEPER_AZURE_ENDPOINT ?? DEFAULT_ARM_ENDPOINT;
    const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(endpoint);
    const credential =
      options.credential ??
      (loopback
        ? new StaticTokenCredential(env.PEERKEEPER_AZURE_TOKEN ?? 'peerkeeper-local')
        : defaultCredential(env, options.tenantId));
    this.client = new ArmClient({ ...options.client, endpoint, credential });
    this.explicit = new Set(options.subscriptions.map((s) => s.toLowerCase()));
    this.subscriptions = new Set(this.explicit);
    this.transitSubscriptions = new Set((options.transitSubscriptions ?? []).map((s) => s.toLowerCase()));
    const roots = [
      ...new Set(
        [
          ...(options.managementGroup ? [options.managementGroup] : []),
          ...(options.selectedManagementGroups ?? []),
        ].map(normalizeManagementGroup),
      ),
    ].sort();
    this.directory =
      roots.length === 0
        ? undefined
        : new OrganizationDirectory(
            'azure',
            new AzureManagementGroupSource(this.client, roots),
            (a) => a.ancestors.some((u) => roots.includes(normalizeManagementGroup(u.id))),
            (s) => s.toLowerCase(),
          );
  }

  /**
   * One partition per subscription: the configured ones plus the Enabled subscriptions under the management groups
   * (nested groups included). Descendants has no per-subscription lookup, so discovery lists once per run and again
   * for a subscription event (vending, a move between groups) or the sweep.
   */
  async partitions(scope?: Scope): Promise<Partition[]> {
    if (this.directory) {
      await this.directory.prepare(scope);
      // A subscription moved out of the groups, disabled or deleted stops being governed (and changed) here.
      this.subscriptions = new Set([...this.explicit, ...this.directory.governed().map((a) => a.account)]);
    }
    return [...this.subscriptions].sort().map((account) => ({ cloud: 'azure', account }));
  }

  /** What discovery found, governed or not (see the port). */
  discoveredAccounts(): readonly DiscoveredAccount[] {
    return this.directory?.all() ?? [];
  }

  async observe(partitions: readonly Partition[]): Promise<Observation> {
    const observed = await observeAzure(this.client, partitions, this.transitSubscriptions);
    return this.directory ? this.directory.decorate(observed) : observed;
  }

  async apply(action: Action, context: ApplyContext): Promise<ApplyOutcome> {
    if (action.cloud !== 'azure')
      throw new TerminalError(`the Azure adapter cannot apply a ${action.cloud} action`, { code: 'WrongCloud' });
    const deps: PeeringApplyDeps = { client: this.client, subscriptions: this.subscriptions };
    try {
      switch (action.action) {
        case 'create-peering':
          return await createPeering(deps, action, context);
        case 'accept-peering':
          return await acceptPeering(deps, action, context);
        case 'reject-peering':
          return await rejectPeering(deps, action, context);
        case 'delete-peering':
          return await deletePeering(deps, action, context);
        case 'update-peering':
          return await updatePeering(deps, action, context);
        case 'create-route':
        case 'replace-route':
        case 'delete-route':
          return await applyRoute(this.client, action, context);
        case 'create-attachment':
        case 'accept-attachment':
        case 'reject-attachment':
        case 'update-attachment':
        case 'delete-attachment':
          return await applyAzureAttachment(deps, action, context);
        case 'request-approval':
        case 'report':
          return { status: 'skipped', detail: `${action.action} changes nothing in Azure` };
      }
    } catch (error) {
      if (error instanceof ConvergedError) return { status: 'converged', detail: error.message };
      if (error instanceof StaleActionError) return { status: 'skipped', detail: error.message };
      if (error instanceof PeerkeeperError) throw error;
      throw new TerminalError(`Azure ${action.action}: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'Unexpected',
        cause: error,
      });
    }
  }
}

/** Subscriptions from `providers.azure.subscriptions`, every account an azure group names, and azure hubs' owners. */
export function azureSubscriptionsOf(policy: Policy): string[] {
  const subs = new Set((policy.providers.azure?.subscriptions ?? []).map((s) => s.toLowerCase()));
  for (const group of Object.values(policy.groups)) {
    if (group.cloud !== 'azure' || group.account === undefined) continue;
    for (const account of Array.isArray(group.account) ? group.account : [group.account])
      subs.add(account.toLowerCase());
  }
  // A declared Virtual WAN hub's subscription is where its connections are made: peerkeeper governs it.
  for (const hub of Object.values(policy.transitHubs)) if (hub.cloud === 'azure') subs.add(hub.account.toLowerCase());
  return [...subs].sort();
}

/** The adapter the policy describes; env supplies `PEERKEEPER_AZURE_ENDPOINT` / credentials. */
export function createAzureProvider(policy: Policy, env: NodeJS.ProcessEnv = process.env): AzurePeeringAdapter {
  const azure = policy.providers.azure;
  return new AzurePeeringAdapter({
    subscriptions: azureSubscriptionsOf(policy),
    ...(azure?.managementGroup ? { managementGroup: azure.managementGroup } : {}),
    selectedManagementGroups: organizationSelection(policy, 'azure').ids,
    ...(azure?.tenantId ? { tenantId: azure.tenantId } : {}),
    transitSubscriptions: Object.values(policy.transitHubs)
      .filter((hub) => hub.cloud === 'azure')
      .map((hub) => hub.account),
    env,
  });
}
