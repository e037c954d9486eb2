import { RetryableError } from '../../errors';
import { operationError, parseGoogleError, toPeerkeeperError } from './errors';

/** Supplies request headers (Authorization) for each call; static, ADC-backed or none. */
export interface TokenSource {
  headers(url: string): Promise<Record<string, string>>;
}

/** Retry budget for one call: Compute's per-minute quotas refill within seconds, so 5 tries over ~8 s is enough. */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 250, maxMs: 4_000 };

/** A Compute global operation as the API returns it. */
export interface ComputeOperation {
  name: string;
  status: 'PENDING' | 'RUNNING' | 'DONE';
  targetLink?: string;
  error?: { errors?: { code?: string; message?: string }[] };
  /** Set on a failed operation: the HTTP status the call would have had (404, 409, 400 …). */
  httpErrorStatusCode?: number;
  httpErrorMessage?: string;
}

export interface ComputeClientOptions {
  /** Compute v1 base, e.g. https://compute.googleapis.com/compute/v1. */
  endpoint: string;
  /** Resource Manager v1 base, e.g. https://cloudresourcemanager.googleapis.com/v1. */
  resourceManagerEndpoint: string;
  /**
   * Network Connectivity v1 base, e.g. https://networkconnectivity.googleapis.com/v1 (default: that, or
   * `<origin>/networkconnectivity/v1` of a Compute endpoint that is not Google's, which is where the emulator serves it).
   */
  networkConnectivityEndpoint?: string;
  /** First poll of a Network Connectivity operation after this many ms, doubling up to 8× (default 1,000). */
  operationPollMs?: number;
  auth: TokenSource;
  retry?: RetryPolicy;
  /** Longest single HTTP call, in ms (default 30 s). */
  requestTimeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The thin Compute REST client: JSON over fetch, auth headers from a TokenSource, retries with full
 * jitter for retryable errors, pagination and operation waits. Throws only peerkeeper's typed errors.
 */
export class ComputeClient {
  private readonly retry: RetryPolicy;
  constructor(private readonly opts: ComputeClientOptions) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
  }

  /** GET a Compute path (relative to the endpoint). */
  get<T>(path: string, deadline?: number): Promise<T> {
    return this.call<T>('GET', this.computeUrl(path), undefined, deadline);
  }

  /** GET a Resource Manager path. */
  getResourceManager<T>(path: string, deadline?: number): Promise<T> {
    return this.call<T>('GET', `${trim(this.opts.resourceManagerEndpoint)}/${path}`, undefined, deadline);
  }

  /** Every page of a list; `pick` extracts one page's items. Fails as a whole when any page fails. */
  async listAll<P extends { nextPageToken?: string }, T>(
    path: string,
    pick: (page: P) => T[],
    deadline?: number,
    fetchPage: (url: string) => Promise<P> = (url) => this.call<P>('GET', url, undefined, deadline),
  ): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const url = new URL(path.startsWith('http') ? path : this.computeUrl(path));
      if (token) url.searchParams.set('pageToken', token);
      const page = await fetchPage(url.toString());
      out.push(...pick(page));
      token = page.nextPageToken;
    } while (token);
    return out;
  }

  /** A Resource Manager v3 URL (folders, projects by parent): the v1 base with its version replaced. */
  resourceManagerV3Url(path: string): string {
    return `${trim(this.opts.resourceManagerEndpoint).replace(/\/v1$/, '/v3')}/${path}`;
  }

  /** GET a Resource Manager v3 path (`folders/N`, `projects/ID`). */
  getResourceManagerV3<T>(path: string, deadline?: number): Promise<T> {
    return this.call<T>('GET', this.resourceManagerV3Url(path), undefined, deadline);
  }

  /** Every page of a Resource Manager list (`pageToken`/`nextPageToken` as in Compute). */
  listResourceManager<P extends { nextPageToken?: string }, T>(
    path: string,
    pick: (page: P) => T[],
    deadline?: number,
  ): Promise<T[]> {
    return this.listAll(`${trim(this.opts.resourceManagerEndpoint)}/${path}`, pick, deadline);
  }

  /** A Network Connectivity v1 URL (`projects/p/locations/global/hubs/h`). */
  nccUrl(path: string): string {
    const base =
      this.opts.networkConnectivityEndpoint ??
      (trim(this.opts.endpoint) === 'https://compute.googleapis.com/compute/v1'
        ? 'https://networkconnectivity.googleapis.com/v1'
        : `${new URL(this.opts.endpoint).origin}/networkconnectivity/v1`);
    return `${trim(base)}/${path}`;
  }

  /** How long to wait before the first poll of a Network Connectivity operation. */
  get operationPollMs(): number {
    return this.opts.operationPollMs ?? 1_000;
  }

  /** One call to a full URL, with the client's auth, retries and error mapping (APIs other than Compute). */
  send<T>(verb: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, deadline?: number): Promise<T> {
    return this.call<T>(verb, url, body, deadline);
  }

  /** Starts a mutating call and waits (until the deadline) for its operation to finish. */
  async mutate(
    verb: 'POST' | 'DELETE' | 'PATCH',
    path: string,
    body: unknown,
    deadline: number,
  ): Promise<ComputeOperation> {
    const op = await this.call<ComputeOperation>(verb, this.computeUrl(path), body, deadline);
    return this.waitForOperation(path.split('/')[1]!, op, deadline, `${verb} ${path}`);
  }

  /** Polls `operations.wait` until DONE; past the deadline the operation is left running and a RetryableError says so. */
  async waitForOperation(
    project: string,
    op: ComputeOperation,
    deadline: number,
    what: string,
  ): Promise<ComputeOperation> {
    let current = op;
    const pending = (): RetryableError =>
      new RetryableError(`${what}: operation ${current.name} still ${current.status} at the deadline`, {
        code: 'OPERATION_PENDING',
      });
    while (current.status !== 'DONE') {
      if (Date.now() >= deadline) throw pending();
      try {
        current = await this.call<ComputeOperation>(
          'POST',
          this.computeUrl(`projects/${project}/global/operations/${current.name}/wait`),
          undefined,
          deadline,
        );
      } catch (e) {
        // A wait cut short by our own deadline means the operation is still running, not that the call failed.
        if (e instanceof RetryableError && Date.now() >= deadline - 5) throw pending();
        throw e;
      }
    }
    const first = current.error?.errors?.[0];
    if (first) throw operationError(first, what, current.httpErrorStatusCode);
    return current;
  }

  private computeUrl(path: string): string {
    return `${trim(this.opts.endpoint)}/${path}`;
  }

  private async call<T>(verb: string, url: string, body: unknown, deadline: number | undefined): Promise<T> {
    const what = `${verb} ${url.replace(/\?.*$/, '')}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once<T>(verb, url, body, what, deadline);
      } catch (e) {
        if (!(e instanceof RetryableError) || attempt >= this.retry.attempts) throw e;
        const backoff = Math.random() * Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempt - 1));
        const wait = Math.max(backoff, e.retryAfterMs !== undefined ? Math.min(e.retryAfterMs, this.retry.maxMs) : 0);
        if (deadline !== undefined && Date.now() + wait >= deadline) throw e;
        await sleep(wait);
      }
    }
  }

  private async once<T>(
    verb: string,
    url: string,
    body: unknown,
    what: string,
    deadline: number | undefined,
  ): Promise<T> {
    const timeout = Math.max(
      1,
      Math.min(this.opts.requestTimeoutMs ?? 30_000, deadline !== undefined ? deadline - Date.now() : Infinity),
    );
    let res: Response;
    try {
      res = await fetch(url, {
        method: verb,
        headers: {
          ...(await this.opts.auth.headers(url)),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (e) {
      // Connection resets, DNS hiccups and timeouts are transient by nature.
      const timedOut = e instanceof Error && e.name === 'TimeoutError';
      throw new RetryableError(`${what}: ${e instanceof Error ? e.message : String(e)}`, {
        code: timedOut ? 'TIMEOUT' : 'NETWORK',
        cause: e,
      });
    }
    const text = await res.text();
    if (!res.ok) throw toPeerkeeperError(parseGoogleError(res.status, text, res.headers.get('retry-after')), what);
    return (text ? JSON.parse(text) : {}) as T;
  }
}

const trim = (s: string): string => s.replace(/\/+$/, '');
