import { AsyncLocalStorage } from 'node:async_hooks';
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { TerminalError } from '../../errors';
import {
  classifyAwsError,
  DEFAULT_BACKOFF,
  EC2_REFILL_MS,
  withBackoff,
  type BackoffOptions,
  type ErrorContext,
} from './errors';
import type { AwsOperation } from './permissions';

/** How the adapter reaches AWS. */
export interface AwsConnectOptions {
  /** The role assumed in each member account. */
  roleName: string;
  /** The ExternalId the member roles demand (confused-deputy protection). */
  externalId?: string;
  /** Regions observed when a partition names none. */
  regions: readonly string[];
  /** Also observe Transit Gateways and their attachments (the policy declares AWS transit hubs; issue 17). */
  transit?: boolean;
  /** Accounts peerkeeper may assume into; checked BEFORE calling STS. */
  allowedAccounts: ReadonlySet<string>;
  /** The account the base credentials belong to: used directly, without AssumeRole. */
  hubAccount?: string;
  /**
   * The account the base credentials belong to when no hub account is configured (the function's own account,
   * from its role ARN): read with those credentials, never through an AssumeRole into ourselves.
   */
  homeAccount?: string;
  /** Endpoint override; when absent the SDK honours AWS_ENDPOINT_URL(_EC2/_STS) itself. */
  endpoint?: string;
  /** Base credentials; when absent the SDK's default chain (env, profile, container, IMDS). */
  credentials?: EC2ClientConfig['credentials'];
  /** Region for STS calls (default: AWS_REGION or the first configured region). */
  stsRegion?: string;
  /**
   * SDK attempts per call (default 1: the SDK does not retry). The adapter's backoff is the one retry layer:
   * with the SDK's standard 3 on top of our 4, one throttled operation used to cost 12 calls.
   */
  sdkMaxAttempts?: number;
  /** The one retry layer: full-jitter backoff, deadline-bound, at least one EC2 bucket refill after throttling. */
  backoff?: BackoffOptions;
  /** Called with every command the adapter sends (permission tests, metrics). */
  onCommand?: (call: {
    operation: AwsOperation;
    service: 'ec2' | 'sts';
    command: string;
    account: string;
    region: string;
  }) => void;
}

/** The slice of the SDK's middleware stack the command recorder uses. */
interface MiddlewareAdder {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ): void;
}

/** Re-assume this long before the session expires (STS sessions last 3600 s by default). */
const REFRESH_BEFORE_MS = 5 * 60 * 1000;

interface CachedCredentials {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration: Date };
  expiresAt: number;
}

/**
 * Credentials and EC2 clients per account and region. Assumed-role credentials are cached per account
 * until 5 minutes before they expire; clients per account+region share them through a provider.
 */
export class AwsConnections {
  private readonly credentialCache = new Map<string, Promise<CachedCredentials>>();
  private readonly clients = new Map<string, EC2Client>();
  private sts: STSClient | undefined;

  constructor(private readonly options: AwsConnectOptions) {}

  /** The EC2 client for an account and region, assuming the member role when the account is not the hub. */
  ec2(account: string, region: string): EC2Client {
    this.checkAllowed(account);
    const key = `${account}:${region}`;
    let client = this.clients.get(key);
    if (!client) {
      const credentials =
        account === (this.options.hubAccount ?? this.options.homeAccount)
          ? this.options.credentials
          : () => this.assumed(account).then((c) => c.credentials);
      client = new EC2Client({
        region,
        maxAttempts: this.options.sdkMaxAttempts ?? 1,
        retryMode: 'standard',
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        ...(credentials ? { credentials } : {}),
      });
      this.record(client, 'ec2', account, region);
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * Runs `fn` against the account's client in the region, as `operation`: the account is checked against
   * the allowlist, failures are retried with backoff (bounded by `deadline`) and mapped to typed errors.
   */
  async call<T>(
    target: { account: string; region: string },
    operation: AwsOperation,
    fn: (client: EC2Client) => Promise<T>,
    ctx: Omit<ErrorContext, 'operation'> & { deadline?: number } = {},
  ): Promise<T> {
    const client = this.ec2(target.account, target.region);
    // Observing only reads; every other operation's throttling is taken as the mutating bucket's (the slower refill).
    const throttleFloorMs = operation === 'observe' ? EC2_REFILL_MS.nonMutating : EC2_REFILL_MS.mutating;
    return this.operation.run(operation, () =>
      withBackoff(
        () => fn(client),
        { ...ctx, operation },
        { throttleFloorMs, ...(this.options.backoff ?? DEFAULT_BACKOFF), deadline: ctx.deadline },
      ),
    );
  }

  /** The operation a command runs for, kept per async context so concurrent operations do not mix. */
  private readonly operation = new AsyncLocalStorage<AwsOperation>();

  /** Refuses accounts the policy does not name, before any call to STS. */
  checkAllowed(account: string): void {
    if (account !== this.options.hubAccount && !this.options.allowedAccounts.has(account)) {
      throw new TerminalError(
        `aws: account ${account} is not named by the policy; refusing to assume ${this.options.roleName} there`,
        { code: 'AccountNotAllowed' },
      );
    }
  }

  private assumed(account: string): Promise<CachedCredentials> {
    const cached = this.credentialCache.get(account);
    const fresh = cached?.then(
      (c) => (c.expiresAt - REFRESH_BEFORE_MS > Date.now() ? c : undefined),
      () => undefined,
    );
    const next = (fresh ?? Promise.resolve(undefined)).then((c) => c ?? this.assumeRole(account));
    this.credentialCache.set(account, next);
    next.catch(() => this.credentialCache.delete(account));
    return next;
  }

  private async assumeRole(account: string): Promise<CachedCredentials> {
    this.checkAllowed(account);
    const roleArn = `arn:aws:iam::${account}:role/${this.options.roleName}`;
    const sts = this.stsClient();
    const out = await withBackoff(
      () =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: 'peerkeeper',
            ...(this.options.externalId ? { ExternalId: this.options.externalId } : {}),
          }),
        ),
      { operation: 'assume-role' },
      this.options.backoff ?? { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2000 },
    ).catch((error: unknown) => {
      throw classifyAwsError(error, { operation: `assume-role ${roleArn}` });
    });
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new TerminalError(`aws: AssumeRole ${roleArn} returned no credentials`);
    const expiresAt = c.Expiration ? c.Expiration.getTime() : Date.now() + 3600_000;
    return {
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: new Date(expiresAt),
      },
      expiresAt,
    };
  }

  private stsClient(): STSClient {
    if (!this.sts) {
      const region = this.options.stsRegion ?? process.env.AWS_REGION ?? this.options.regions[0] ?? 'us-east-1';
      this.sts = new STSClient({
        region,
        maxAttempts: this.options.sdkMaxAttempts ?? 1,
        retryMode: 'standard',
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
      });
      this.record(this.sts, 'sts', this.options.hubAccount ?? 'hub', region);
    }
    return this.sts;
  }

  private record(client: EC2Client | STSClient, service: 'ec2' | 'sts', account: string, region: string): void {
    const hook = this.options.onCommand;
    if (!hook) return;
    const stack = client.middlewareStack as unknown as MiddlewareAdder;
    stack.add(
      (next, context) => (args) => {
        hook({
          operation: service === 'sts' ? 'assume-role' : (this.operation.getStore() ?? 'observe'),
          service,
          command: String(context.commandName ?? 'unknown'),
          account,
          region,
        });
        return next(args);
      },
      { step: 'initialize', name: 'peerkeeperRecordCommand' },
    );
  }

  /** Closes every client's sockets. */
  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.sts?.destroy();
    this.clients.clear();
    this.sts = undefined;
  }
}
