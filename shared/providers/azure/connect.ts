import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
  setClientRequestIdPolicy,
} from '@azure/core-rest-pipeline';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { PeerkeeperError, RetryableError, TerminalError } from '../../errors';
import { armError, lroError, retryAfterMs, transportError } from './errors';
import { AppServiceManagedIdentityCredential } from './managed-identity';

/** The public-cloud ARM endpoint. */
export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';
/** Microsoft.Network API version peerkeeper speaks (the spec examples it was checked against are 2024-05-01/07-01). */
export const NETWORK_API_VERSION = '2024-05-01';
export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
export const MANAGEMENT_GROUPS_API_VERSION = '2020-05-01';

/** What one ARM call returned; header names are lower-case. */
export interface ArmResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface ArmClientOptions {
  /**
   * ARM endpoint. Defaults to env `PEERKEEPER_AZURE_ENDPOINT`, then https://management.azure.com.
   * Plain http is accepted only on loopback (the local emulator), so a token never crosses a network in clear.
   */
  endpoint?: string;
  credential: TokenCredential;
  /** Attempts per call for 429 / 5xx / transport errors (default 4: waits ~0.5 s, 1 s, 2 s unless Retry-After says). */
  maxAttempts?: number;
  /** First backoff step in ms (default 500); doubled per attempt, with full jitter. */
  backoffMs?: number;
  /** LRO poll interval when ARM sends no Retry-After (default 2,000 ms; ARM usually says 10 s for network). */
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
  random?: () => number;
  httpClient?: HttpClient;
}

/** A fixed bearer token: the local emulator accepts any token (a JWT's oid/appid name the caller in events). */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}

  async getToken(): Promise<AccessToken> {
    return { token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** core-rest-pipeline's bearer policy refuses http; for the loopback emulator a minimal one sets the header. */
function loopbackTokenPolicy(credential: TokenCredential, scope: string): PipelinePolicy {
  return {
    name: 'peerkeeperLoopbackToken',
    async sendRequest(request, next) {
      const token = await credential.getToken(scope);
      if (token) request.headers.set('authorization', `Bearer ${token.token}`);
      return next(request);
    },
  };
}

/**
 * A thin ARM REST client on @azure/core-rest-pipeline: bearer auth, JSON, retries of 429 (honouring
 * Retry-After) / 5xx / transport errors with backoff and jitter, long-running operations polled to a
 * deadline, and errors mapped to RetryableError / TerminalError / ConvergedError.
 */
export class ArmClient {
  readonly endpoint: string;
  private readonly pipeline: Pipeline;
  private readonly http: HttpClient;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly pollIntervalMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly clock: () => number;
  private readonly random: () => number;

  constructor(options: ArmClientOptions) {
    const endpoint = new URL(options.endpoint ?? DEFAULT_ARM_ENDPOINT);
    if (endpoint.protocol !== 'https:' && !(endpoint.protocol === 'http:' && isLoopback(endpoint))) {
      throw new TerminalError(`ARM endpoint ${endpoint.origin} must be https (plain http only on loopback)`, {
        code: 'InsecureEndpoint',
      });
    }
    this.endpoint = endpoint.origin;
    const scope = `${endpoint.origin}/.default`;
    this.pipeline = createEmptyPipeline();
    this.pipeline.addPolicy(setClientRequestIdPolicy());
    this.pipeline.addPolicy(
      endpoint.protocol === 'https:'
        ? bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: scope })
        : loopbackTokenPolicy(options.credential, scope),
    );
    this.http = options.httpClient ?? createDefaultHttpClient();
    this.maxAttempts = options.maxAttempts ?? 4;
    this.backoffMs = options.backoffMs ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Absolute URL for an ARM path; absolute URLs (nextLink, operation URLs) must stay on the endpoint. */
  url(pathOrUrl: string): string {
    const url = new URL(pathOrUrl, this.endpoint);
    if (url.origin !== this.endpoint)
      throw new TerminalError(`refusing to follow ${url.origin}: not the ARM endpoint ${this.endpoint}`, {
        code: 'ForeignUrl',
      });
    return url.toString();
  }

  /** One call with retries; any non-2xx after retries throws a typed error. */
  async request(
    method: 'GET' | 'PUT' | 'DELETE',
    pathOrUrl: string,
    deadline: number,
    body?: unknown,
  ): Promise<ArmResponse> {
    const url = this.url(pathOrUrl);
    for (let attempt = 1; ; attempt += 1) {
      let failure: RetryableError;
      try {
        const response = await this.send(method, url, body);
        if (response.status < 400) return response;
        const error = armError(method, url, response.status, response.body, response.headers, this.clock());
        if (!(error instanceof RetryableError)) throw error;
        failure = error;
      } catch (error) {
        if (error instanceof RetryableError) failure = error;
        else if (error instanceof Error && error.name === 'RestError') failure = transportError(method, url, error);
        else if (error instanceof PeerkeeperError) throw error;
        else
          throw new TerminalError(
            `Azure ${method} ${new URL(url).pathname}: ${error instanceof Error ? error.message : String(error)}`,
            { code: 'ClientError', cause: error },
          );
      }
      // Full jitter (AWS architecture blog): a random wait up to the exponential step spreads retry storms.
      const wait = failure.retryAfterMs ?? Math.round(this.random() * this.backoffMs * 2 ** (attempt - 1));
      if (attempt >= this.maxAttempts || this.clock() + wait > deadline) throw failure;
      await this.sleep(wait);
    }
  }

  /** GET that answers undefined for 404 (the resource or its parent does not exist). */
  async getOptional(pathOrUrl: string, deadline: number): Promise<unknown> {
    try {
      return (await this.request('GET', pathOrUrl, deadline)).body;
    } catch (error) {
      if (
        error instanceof TerminalError &&
        (error.code === 'NotFound' ||
          error.code === 'ResourceNotFound' ||
          error.code === 'ResourceGroupNotFound' ||
          error.code === 'Http404')
      )
        return undefined;
      throw error;
    }
  }

  /** Waits for a write's long-running operation: `Azure-AsyncOperation` first, else `Location`, else done. */
  async waitFor(response: ArmResponse, deadline: number): Promise<void> {
    const asyncUrl = response.headers['azure-asyncoperation'];
    const locationUrl = response.status === 202 ? response.headers.location : undefined;
    let wait = retryAfterMs(response.headers, this.clock()) ?? this.pollIntervalMs;
    if (asyncUrl === undefined && locationUrl === undefined) return;
    for (;;) {
      if (this.clock() + wait > deadline) {
        throw new RetryableError(`Azure operation ${asyncUrl ?? locationUrl} still running at the deadline`, {
          code: 'OperationStillRunning',
        });
      }
      await this.sleep(wait);
      const poll = await this.request('GET', (asyncUrl ?? locationUrl)!, deadline);
      wait = retryAfterMs(poll.headers, this.clock()) ?? this.pollIntervalMs;
      if (asyncUrl === undefined) {
        if (poll.status !== 202) return;
        continue;
      }
      const status = (poll.body as { status?: unknown } | undefined)?.status;
      if (status === 'Succeeded') return;
      if (status === 'Failed' || status === 'Canceled') throw lroError(asyncUrl, status, poll.body);
    }
  }

  /** Every item of a paged list, following nextLink; a failure keeps what was read and reports the error. */
  async listAll(path: string, deadline: number): Promise<{ items: unknown[]; error?: Error }> {
    const items: unknown[] = [];
    let next: string | undefined = path;
    try {
      while (next) {
        const page = (await this.request('GET', next, deadline)).body as
          { value?: unknown; nextLink?: unknown } | undefined;
        if (Array.isArray(page?.value)) items.push(...(page.value as unknown[]));
        next = typeof page?.nextLink === 'string' && page.nextLink !== '' ? page.nextLink : undefined;
      }
      return { items };
    } catch (error) {
      return { items, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  private async send(method: string, url: string, body: unknown): Promise<ArmResponse> {
    const request = createPipelineRequest({
      url,
      method: method as 'GET',
      headers: createHttpHeaders({
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      allowInsecureConnection: url.startsWith('http:'),
      // ARM answers within seconds; 30 s catches a hung connection without cutting off a slow region.
      // AbortSignal.timeout's timer is unref'd: a refused connection does not keep the process alive for 30 s
      // (the pipeline's own `timeout` option leaves its timer running after a connection error).
      abortSignal: AbortSignal.timeout(30_000),
    });
    const response = await this.pipeline.sendRequest(this.http, request);
    const text = response.bodyAsText ?? '';
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, headers: response.headers.toJSON(), body: parsed };
  }
}

/**
 * The credential when none is given. Inside Azure Functions / App Service (IDENTITY_ENDPOINT and
 * IDENTITY_HEADER set) it is the app's managed identity over the platform's token protocol
 * (managed-identity.ts; AZURE_CLIENT_ID picks a user-assigned identity), which needs no @azure/identity.
 * Elsewhere (the CLI: az login, env vars, workload identity; other managed identity hosts) @azure/identity is
 * imported on first use: it pulls in MSAL (~400 KiB), which the functions bundle leaves out (infra/azure/bundle.ts).
 */
export function defaultCredential(env: NodeJS.ProcessEnv, tenantId?: string): TokenCredential {
  if (env.IDENTITY_ENDPOINT && env.IDENTITY_HEADER) {
    return new AppServiceManagedIdentityCredential({
      endpoint: env.IDENTITY_ENDPOINT,
      identityHeader: env.IDENTITY_HEADER,
      ...(env.AZURE_CLIENT_ID ? { clientId: env.AZURE_CLIENT_ID } : {}),
    });
  }
  let inner: Promise<TokenCredential> | undefined;
  const load = async (): Promise<TokenCredential> => {
    let identity: typeof import('@azure/identity');
    try {
      identity = await import('@azure/identity');
    } catch (error) {
      // Only the functions bundle lacks @azure/identity (it is external there), and inside Azure it gets here
      // only when the platform set no IDENTITY_ENDPOINT: the app's managed identity is off.
      if (
        (error as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND' &&
        (error as { code?: unknown } | null)?.code !== 'ERR_MODULE_NOT_FOUND'
      )
        throw error;
      throw new TerminalError(
        'the Function App has no managed identity (IDENTITY_ENDPOINT unset): enable it — infra/azure/main.tf assigns a user-assigned identity and sets AZURE_CLIENT_ID; by hand, `az functionapp identity assign` — and grant it the peerkeeper role',
        { code: 'NoManagedIdentity', cause: error },
      );
    }
    if (env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT) {
      return env.AZURE_CLIENT_ID
        ? new identity.ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID })
        : new identity.ManagedIdentityCredential();
    }
    return new identity.DefaultAzureCredential(tenantId ? { tenantId } : {});
  };
  return {
    async getToken(scopes, options) {
      inner ??= load();
      return (await inner).getToken(scopes, options);
    },
  };
}
