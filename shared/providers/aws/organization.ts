import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
  type OrganizationsClientConfig,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { OrganizationUnit } from '../../model';
import type { ContainerSelection } from '../../policy/organization';
import type { PermissionTable } from '../port';
import type { DiscoveredAccount, OrganizationSource } from '../organization-directory';
import { awsErrorCode, type BackoffOptions, classifyAwsError, DEFAULT_BACKOFF, withBackoff } from './errors';

/**
 * What discovery calls, in the management account or a delegated administrator (through `providers.aws.organizationRole`).
 * All read-only; the hub role needs sts:AssumeRole on the organization role.
 */
export const AWS_ORGANIZATION_PERMISSIONS = {
  'list-organization': [
    'organizations:ListRoots',
    'organizations:ListOrganizationalUnitsForParent',
    'organizations:ListAccountsForParent',
  ],
  'lookup-account': [
    'organizations:DescribeAccount',
    'organizations:ListParents',
    'organizations:DescribeOrganizationalUnit',
  ],
} as const satisfies PermissionTable;

/** Organizations throttles with TooManyRequestsException; a just-moved account can briefly answer from the old parent. */
const RETRYABLE = ['TooManyRequestsException', 'ConcurrentModificationException', 'ServiceException'];

/** How discovery reaches AWS Organizations (a global service: its endpoint lives in us-east-1). */
export interface AwsOrganizationOptions {
  /** The read-only role to assume in the management account or a delegated administrator; absent = own credentials. */
  roleArn?: string;
  externalId?: string;
  endpoint?: string;
  credentials?: OrganizationsClientConfig['credentials'];
  /** Called with every command sent (permission tests, the benchmark's call counts). */
  onCommand?: (command: string) => void;
  /** The retry layer (default: 4 attempts, full jitter from 200 ms). */
  backoff?: BackoffOptions;
}

interface Container {
  id: string;
  ancestors: OrganizationUnit[];
}

/** The OU paths (by name, below the root) of a chain: [Workloads, Workloads/Prod]. */
function pathsOf(chain: readonly OrganizationUnit[]): string[] {
  const names = chain.filter((u) => !u.id.startsWith('r-')).map((u) => u.name ?? u.id);
  return names.map((_, i) => names.slice(0, i + 1).join('/'));
}

/** AWS Organizations as an organization source: OU walk for the sweep, ListParents for one account. */
export class AwsOrganizationSource implements OrganizationSource {
  private client: OrganizationsClient | undefined;
  /** OUs never move between parents in AWS Organizations (only accounts do): an OU's place is cached for the instance. */
  private readonly ouCache = new Map<string, { parent: string; name: string }>();

  constructor(
    private readonly selection: ContainerSelection,
    private readonly options: AwsOrganizationOptions = {},
  ) {}

  /** Walks every OU from the root (ListOrganizationalUnitsForParent) and lists the accounts of the selected subtrees. */
  async listSelected(): Promise<DiscoveredAccount[]> {
    const roots = await this.pages(
      'ListRoots',
      (c, NextToken) => c.send(new ListRootsCommand({ NextToken })),
      (o) => o.Roots ?? [],
    );
    const queue: Container[] = roots.flatMap((r) =>
      r.Id ? [{ id: r.Id, ancestors: [{ id: r.Id, name: r.Name ?? 'Root' }] }] : [],
    );
    const found: DiscoveredAccount[] = [];
    while (queue.length > 0) {
      const container = queue.shift()!;
      if (this.selected(container.ancestors)) {
        const accounts = await this.pages(
          'ListAccountsForParent',
          (c, NextToken) => c.send(new ListAccountsForParentCommand({ ParentId: container.id, NextToken })),
          (o) => o.Accounts ?? [],
        );
        for (const a of accounts) if (a.Id) found.push(discovered(a, container.ancestors));
      }
      const ous = await this.pages(
        'ListOrganizationalUnitsForParent',
        (c, NextToken) => c.send(new ListOrganizationalUnitsForParentCommand({ ParentId: container.id, NextToken })),
        (o) => o.OrganizationalUnits ?? [],
      );
      for (const ou of ous) {
        if (!ou.Id) continue;
        this.ouCache.set(ou.Id, { parent: container.id, name: ou.Name ?? ou.Id });
        queue.push({ id: ou.Id, ancestors: [...container.ancestors, { id: ou.Id, name: ou.Name ?? ou.Id }] });
      }
    }
    return found;
  }

  /** DescribeAccount, then ListParents up to the root (OU names from DescribeOrganizationalUnit, cached). */
  async lookup(account: string): Promise<DiscoveredAccount | null> {
    let described;
    try {
      described = await this.send('DescribeAccount', (c) => c.send(new DescribeAccountCommand({ AccountId: account })));
    } catch (error) {
      if (awsErrorCode(error) === 'AccountNotFoundException') return null;
      throw error;
    }
    const chain: OrganizationUnit[] = [];
    let child = account;
    // An organization is at most 5 OUs deep below the root: 6 steps always reach it.
    for (let depth = 0; depth <= 6; depth++) {
      const cachedOu = this.ouCache.get(child);
      const parent = cachedOu
        ? { Id: cachedOu.parent, Type: cachedOu.parent.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }
        : (await this.send('ListParents', (c) => c.send(new ListParentsCommand({ ChildId: child })))).Parents?.[0];
      if (!parent?.Id) break;
      if (parent.Type === 'ROOT') {
        chain.unshift({ id: parent.Id, name: 'Root' });
        break;
      }
      const name =
        this.ouCache.get(parent.Id)?.name ??
        (
          await this.send('DescribeOrganizationalUnit', (c) =>
            c.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: parent.Id })),
          )
        ).OrganizationalUnit?.Name ??
        parent.Id;
      chain.unshift({ id: parent.Id, name });
      child = parent.Id;
    }
    this.rememberChain(chain);
    return described.Account ? discovered(described.Account, chain) : null;
  }

  /** True when a container (by its chain) is, or lies under, one the policy selects. */
  selected(chain: readonly OrganizationUnit[]): boolean {
    const paths = pathsOf(chain);
    return chain.some((u) => this.selection.ids.includes(u.id)) || this.selection.paths.some((p) => paths.includes(p));
  }

  /** Parents learned by walking up are OU facts too. */
  private rememberChain(chain: readonly OrganizationUnit[]): void {
    chain.forEach((u, i) => {
      if (i === 0 || u.id.startsWith('r-')) return;
      this.ouCache.set(u.id, { parent: chain[i - 1]!.id, name: u.name ?? u.id });
    });
  }

  private async pages<O extends { NextToken?: string | undefined }, T>(
    name: string,
    call: (client: OrganizationsClient, token: string | undefined) => Promise<O>,
    pick: (out: O) => T[],
  ): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const current = token;
      const page = await this.send(name, (c) => call(c, current));
      out.push(...pick(page));
      token = page.NextToken;
    } while (token);
    return out;
  }

  private async send<O>(name: string, call: (client: OrganizationsClient) => Promise<O>): Promise<O> {
    const client = await this.connect();
    this.options.onCommand?.(name);
    return withBackoff(
      () => call(client),
      { operation: `organizations:${name}`, eventuallyConsistent: RETRYABLE },
      this.options.backoff ?? DEFAULT_BACKOFF,
    ).catch((error: unknown) => {
      throw classifyAwsError(error, { operation: `organizations:${name}`, eventuallyConsistent: RETRYABLE });
    });
  }

  private async connect(): Promise<OrganizationsClient> {
    if (this.client) return this.client;
    const endpoint = this.options.endpoint ? { endpoint: this.options.endpoint } : {};
    let credentials = this.options.credentials;
    if (this.options.roleArn) {
      const sts = new STSClient({ region: 'us-east-1', ...endpoint, ...(credentials ? { credentials } : {}) });
      this.options.onCommand?.('AssumeRole');
      const out = await sts
        .send(
          new AssumeRoleCommand({
            RoleArn: this.options.roleArn,
            RoleSessionName: 'peerkeeper-discovery',
            ...(this.options.externalId ? { ExternalId: this.options.externalId } : {}),
          }),
        )
        .catch((error: unknown) => {
          throw classifyAwsError(error, { operation: `assume-role ${this.options.roleArn}` });
        })
        .finally(() => sts.destroy());
      const c = out.Credentials;
      if (c?.AccessKeyId && c.SecretAccessKey)
        credentials = {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        };
    }
    // maxAttempts 1: withBackoff is the one retry layer, as for EC2.
    this.client = new OrganizationsClient({
      region: 'us-east-1',
      maxAttempts: 1,
      ...endpoint,
      ...(credentials ? { credentials } : {}),
    });
    return this.client;
  }

  /** Closes the client's sockets. */
  close(): void {
    this.client?.destroy();
  }
}

/** An account as discovery reports it: State (2025) wins over the older Status; only ACTIVE is governed. */
function discovered(
  a: { Id?: string | undefined; Name?: string | undefined; Status?: string | undefined; State?: string | undefined },
  ancestors: OrganizationUnit[],
): DiscoveredAccount {
  const state = a.State ?? a.Status ?? 'UNKNOWN';
  return { account: a.Id!, ...(a.Name ? { name: a.Name } : {}), active: state === 'ACTIVE', state, ancestors };
}
