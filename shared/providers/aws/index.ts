import type { Action, Cloud, Observation, Scope } from '../../model';
import type { Policy } from '../../policy/schema';
import type { DiscoveredAccount, OrganizationDirectory } from '../organization-directory';
import type { ApplyContext, ApplyOutcome, Partition, PeeringProvider } from '../port';
import { applyAwsAction } from './apply';
import { AwsConnections, type AwsConnectOptions } from './connect';
import { joinObservations, observeRegion } from './observe';
import { awsDiscoveryFor } from './discovery';

export { AWS_PERMISSIONS, allAwsActions, type AwsOperation } from './permissions';
export { classifyAwsError, withBackoff, DEFAULT_BACKOFF, type BackoffOptions } from './errors';
export { peeringToModel, routeToModel, routeTableToModel, vpcToNetwork } from './toModel';
export type { AwsConnectOptions } from './connect';
export { AWS_ORGANIZATION_PERMISSIONS, AwsOrganizationSource, type AwsOrganizationOptions } from './organization';
export { awsDiscoveryFor, discoveredAwsPartitions, type AwsDiscovery } from './discovery';

/** Organization discovery for OU groups: the directory, and the allowlist discovered accounts join (AssumeRole is checked against it). */
export interface AwsOrganizationWiring {
  directory: OrganizationDirectory;
  allowed: Set<string>;
  close?: () => void;
}

/** Regions × accounts observed at once: small, because EC2 throttles per account and region. */
const OBSERVE_CONCURRENCY = 4;

/** The AWS adapter: EC2 VPC peering through @aws-sdk/client-ec2, cross-account through sts:AssumeRole. */
export class AwsPeeringAdapter implements PeeringProvider {
  readonly cloud: Cloud = 'aws';
  private readonly conn: AwsConnections;

  constructor(
    private readonly options: AwsConnectOptions,
    readonly organization?: AwsOrganizationWiring,
  ) {
    this.conn = new AwsConnections(options);
  }

  /**
   * The ACTIVE accounts of the OUs the policy selects (nested OUs included). The sweep walks the organization; an
   * account event (vending, MoveAccount) re-reads that account; other events look up only their own account.
   */
  async partitions(scope?: Scope): Promise<Partition[]> {
    const org = this.organization;
    if (!org) return [];
    await org.directory.prepare(scope);
    const governed = org.directory.governed();
    governed.forEach((a) => org.allowed.add(a.account));
    return governed.map((a) => ({ cloud: 'aws', account: a.account }));
  }

  /** What discovery found, governed or not (see the port). */
  discoveredAccounts(): readonly DiscoveredAccount[] {
    return this.organization?.directory.all() ?? [];
  }

  /** Reads every VPC, route table and peering of the partitions (and, with `transit`, their TGWs and attachments); a failing partition becomes a gap. */
  async observe(partitions: readonly Partition[]): Promise<Observation> {
    const jobs = partitions
      .filter((p) => p.cloud === 'aws')
      .flatMap((p) => (p.region ? [p.region] : this.options.regions).map((region) => ({ account: p.account, region })));
    const results: Observation[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        results.push(await observeRegion(this.conn, job.account, job.region, { transit: this.options.transit }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(OBSERVE_CONCURRENCY, jobs.length) }, worker));
    const joined = joinObservations(results);
    return this.organization ? this.organization.directory.decorate(joined) : joined;
  }

  /** Applies one planned action (see apply.ts for each kind's precondition). */
  apply(action: Action, context: ApplyContext): Promise<ApplyOutcome> {
    return applyAwsAction(this.conn, action, context);
  }

  /** Closes the SDK clients' sockets. */
  close(): void {
    this.conn.destroy();
    this.organization?.close?.();
  }
}

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/**
 * Builds the adapter from the policy: the allowlist is every account the aws groups name, plus
 * providers.aws.accounts, the hub account and the owners of AWS transit hubs. The endpoint comes from AWS_ENDPOINT_URL_EC2 /
 * AWS_ENDPOINT_URL when `env` carries one; the home account (read without AssumeRole) from PEERKEEPER_FUNCTION_ROLE_ARN; otherwise the SDK's own environment handling applies.
 */
export function createAwsProvider(policy: Policy, env: NodeJS.ProcessEnv = process.env): AwsPeeringAdapter {
  const aws = policy.providers.aws ?? { roleName: 'peerkeeper-member', regions: ['us-east-1'] };
  const allowed = new Set<string>([
    ...Object.values(policy.groups)
      .filter((g) => g.cloud === 'aws')
      .flatMap((g) => asList(g.account)),
    ...(aws.accounts ?? []),
    ...(aws.hubAccount ? [aws.hubAccount] : []),
    // A TGW's owner accepts and routes its attachments: the policy names it by declaring the transit hub.
    ...Object.values(policy.transitHubs)
      .filter((h) => h.cloud === 'aws')
      .map((h) => h.account),
  ]);
  const endpoint = env.AWS_ENDPOINT_URL_EC2 ?? env.AWS_ENDPOINT_URL;
  const discovery = awsDiscoveryFor(policy, env);
  const organization = discovery && { directory: discovery.directory, allowed, close: () => discovery.source.close() };
  // The function's own account (serverless.yml passes its role ARN): its credentials are the ones we hold.
  const homeAccount = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(env.PEERKEEPER_FUNCTION_ROLE_ARN ?? '')?.[1];
  return new AwsPeeringAdapter(
    {
      roleName: aws.roleName,
      externalId: aws.externalId,
      regions: aws.regions,
      transit: Object.values(policy.transitHubs).some((h) => h.cloud === 'aws'),
      allowedAccounts: allowed,
      hubAccount: aws.hubAccount,
      ...(homeAccount ? { homeAccount } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(env.AWS_REGION ? { stsRegion: env.AWS_REGION } : {}),
    },
    organization,
  );
}
