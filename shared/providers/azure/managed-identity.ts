import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { RetryableError, TerminalError } from '../../errors';

/**
 * The App Service / Azure Functions managed identity protocol, version 2019-08-01, as Microsoft documents it
 * ("How to use managed identities for App Service and Azure Functions", section "Using the REST protocol",
 * learn.microsoft.com/azure/app-service/overview-managed-identity, MicrosoftDocs/azure-docs
 * articles/app-service/overview-managed-identity.md) and as MSAL Node 3.8 implements it
 * (msal-node src/client/ManagedIdentitySources/AppService.ts):
 *   GET ${IDENTITY_ENDPOINT}?resource=<resource>&api-version=2019-08-01[&client_id=<user-assigned client id>]
 *   header X-IDENTITY-HEADER: ${IDENTITY_HEADER}   (an SSRF guard the platform rotates; 2017-09-01 called it `secret`)
 *   200 { access_token, expires_on: "<epoch seconds>", resource, token_type: "Bearer", client_id }
 * Without client_id the token service uses the system-assigned identity. Linux Consumption (infra/azure's Y1 plan)
 * once offered only 2017-09-01; it has served 2019-08-01 since 2022 (MicrosoftDocs/azure-docs issues 85939 and
 * 87921), and MSAL Node sends 2019-08-01 everywhere. A host that still refuses it answers 400 UnsupportedApiVersion,
 * which surfaces as a TerminalError naming that code.
 */
export const APP_SERVICE_MSI_API_VERSION = '2019-08-01';

/** Refresh this long before expiry (5 min): ARM's bearer policy asks again 2 min before, so we never hand out a token that dies mid-call. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Per-request limit (10 s). The token service is a sidecar on loopback that answers a warm request in
 * milliseconds and a cold one after one Entra round trip (~1 s); past 10 s it is hung. The bearer policy asks for
 * the token under ARM's 30 s request signal: without this limit a hung sidecar would eat a whole ARM attempt,
 * while a RetryableError after 10 s leaves ArmClient time to retry.
 */
export const TOKEN_TIMEOUT_MS = 10_000;

/** Where and as whom to ask; normally IDENTITY_ENDPOINT, IDENTITY_HEADER and AZURE_CLIENT_ID. */
export interface AppServiceManagedIdentityOptions {
  endpoint: string;
  /** The IDENTITY_HEADER secret: sent as X-IDENTITY-HEADER, never logged or put in an error. */
  identityHeader: string;
  /** Client id of a user-assigned identity; unset = the system-assigned identity. */
  clientId?: string;
  timeoutMs?: number;
  clock?: () => number;
}

interface CachedToken {
  token: string;
  expiresOnTimestamp: number;
}

/** One request in flight per resource; it is cancelled only when every caller waiting on it has aborted. */
interface InFlight {
  promise: Promise<CachedToken>;
  controller: AbortController;
  waiters: number;
}

function abortError(): Error {
  const error = new Error('managed identity token request aborted');
  error.name = 'AbortError';
  return error;
}

/** `https://management.azure.com/.default` → `https://management.azure.com`; the v1 protocol speaks resources, not scopes. */
export function scopeToResource(scopes: string | string[]): string {
  const list = typeof scopes === 'string' ? [scopes] : scopes;
  if (list.length !== 1 || !list[0]) {
    throw new TerminalError(
      `managed identity tokens are for exactly one scope, got ${list.length === 1 ? 'an empty one' : String(list.length)}`,
      { code: 'InvalidScope' },
    );
  }
  return list[0].replace(/\/\.default$/, '');
}

/**
 * A TokenCredential for the managed identity of the Function App (or App Service app) it runs in — the only
 * credential peerkeeper uses inside Azure — ~200 lines instead of the ~360 KiB (minified) of MSAL, jsonwebtoken and semver that @azure/identity brings.
 * Tokens are cached per resource and renewed 5 minutes before expiry; concurrent callers share one request.
 */
export class AppServiceManagedIdentityCredential implements TokenCredential {
  private readonly endpoint: URL;
  private readonly identityHeader: string;
  private readonly clientId: string | undefined;
  private readonly timeoutMs: number;
  private readonly clock: () => number;
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, InFlight>();

  constructor(options: AppServiceManagedIdentityOptions) {
    this.endpoint = new URL(options.endpoint);
    this.identityHeader = options.identityHeader;
    this.clientId = options.clientId || undefined;
    this.timeoutMs = options.timeoutMs ?? TOKEN_TIMEOUT_MS;
    this.clock = options.clock ?? Date.now;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const resource = scopeToResource(scopes);
    const cached = this.cache.get(resource);
    if (cached && this.clock() < cached.expiresOnTimestamp - REFRESH_MARGIN_MS) return this.access(cached);
    try {
      return this.access(await this.shared(resource, options?.abortSignal));
    } catch (error) {
      // Inside the refresh margin the old token still works: a failed early refresh is not an outage.
      if (cached && error instanceof RetryableError && this.clock() < cached.expiresOnTimestamp)
        return this.access(cached);
      throw error;
    }
  }

  private access(token: CachedToken): AccessToken {
    return {
      token: token.token,
      expiresOnTimestamp: token.expiresOnTimestamp,
      refreshAfterTimestamp: token.expiresOnTimestamp - REFRESH_MARGIN_MS,
      tokenType: 'Bearer',
    };
  }

  /** Joins (or starts) the resource's request; this caller's abort rejects only this caller. */
  private shared(resource: string, signal: GetTokenOptions['abortSignal']): Promise<CachedToken> {
    if (signal?.aborted) return Promise.reject(abortError());
    const entry = this.inFlight.get(resource) ?? this.start(resource);
    entry.waiters += 1;
    return new Promise<CachedToken>((resolve, reject) => {
      let done = false;
      const leave = () => {
        done = true;
        entry.waiters -= 1;
        signal?.removeEventListener('abort', onAbort);
      };
      function onAbort(this: void): void {
        if (done) return;
        leave();
        reject(abortError());
      }
      signal?.addEventListener('abort', onAbort);
      entry.promise.then(
        (token) => {
          if (!done) {
            leave();
            resolve(token);
          }
        },
        (error: unknown) => {
          if (!done) {
            leave();
            reject(error);
          }
        },
      );
    }).finally(() => {
      // The last waiter gone before the answer: nobody needs it, so stop asking.
      if (entry.waiters === 0 && this.inFlight.get(resource) === entry) {
        this.inFlight.delete(resource);
        entry.controller.abort();
      }
    });
  }

  private start(resource: string): InFlight {
    const controller = new AbortController();
    const promise = this.fetchToken(resource, controller.signal).then((token) => {
      this.cache.set(resource, token);
      return token;
    });
    const entry: InFlight = { controller, waiters: 0, promise };
    this.inFlight.set(resource, entry);
    return entry;
  }

  private async fetchToken(resource: string, cancel: AbortSignal): Promise<CachedToken> {
    const url = new URL(this.endpoint);
    url.searchParams.set('api-version', APP_SERVICE_MSI_API_VERSION);
    url.searchParams.set('resource', resource);
    if (this.clientId) url.searchParams.set('client_id', this.clientId);
    const where = `managed identity endpoint ${this.endpoint.origin}${this.endpoint.pathname}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(url, {
        headers: { 'X-IDENTITY-HEADER': this.identityHeader, accept: 'application/json' },
        signal: AbortSignal.any([cancel, timeout]),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      if (cancel.aborted) throw abortError();
      const reason = timeout.aborted
        ? `no answer within ${this.timeoutMs} ms`
        : `unreachable (${this.redact(transportMessage(error))})`;
      throw new RetryableError(`${where} ${reason} for ${resource}`, { code: 'ManagedIdentityUnreachable' });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status < 200 || status > 299) throw this.httpError(where, resource, status, body, text, retryAfter);
    if (body === undefined)
      throw new TerminalError(`${where} answered ${status} for ${resource} with a body that is not JSON`, {
        code: 'ManagedIdentityBadResponse',
      });
    const { access_token: token, expires_on: expiresOn } = body as { access_token?: unknown; expires_on?: unknown };
    if (typeof token !== 'string' || token === '')
      throw new TerminalError(`${where} answered ${status} for ${resource} without an access_token`, {
        code: 'ManagedIdentityBadResponse',
      });
    const expiresOnTimestamp = parseExpiresOn(expiresOn);
    if (expiresOnTimestamp === undefined)
      throw new TerminalError(`${where} answered ${status} for ${resource} with an unreadable expires_on`, {
        code: 'ManagedIdentityBadResponse',
      });
    return { token, expiresOnTimestamp };
  }

  /** 429 / 5xx are the token service's or Entra's trouble (retry); other 4xx are configuration (wrong client id, identity off). */
  private httpError(
    where: string,
    resource: string,
    status: number,
    body: unknown,
    text: string,
    retryAfter: string | null,
  ): Error {
    const { code, message } = azureError(body);
    const detail = this.redact(message ?? text.trim()).slice(0, 300);
    const summary = `${where} answered ${status} for ${resource}${code ? ` (${code})` : ''}${detail ? `: ${detail}` : ''}`;
    const options = { code: code ?? `ManagedIdentityHttp${status}` };
    if (status !== 429 && status < 500) return new TerminalError(summary, options);
    const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
    return new RetryableError(summary, {
      ...options,
      ...(seconds === undefined ? {} : { retryAfterMs: seconds * 1000 }),
    });
  }

  /** Azure's error text could echo the request; the header secret never leaves this object. */
  private redact(text: string): string {
    return this.identityHeader ? text.split(this.identityHeader).join('<redacted>') : text;
  }
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause. Duck-typed: undici's errors may come from another realm. */
function transportMessage(error: unknown): string {
  const message = (e: unknown) =>
    typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string'
      ? (e as { message: string }).message
      : undefined;
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return message(cause) || (cause as { code?: string } | undefined)?.code || message(error) || String(error);
}

/** expires_on is epoch seconds as a string (2019-08-01), a number in some hosts, or a date string (2017-09-01). */
function parseExpiresOn(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** The three error shapes the token service is seen to send: `{error:{code,message}}`, OAuth `{error, error_description}`, `{statusCode, message}`. */
function azureError(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as { error?: unknown; error_description?: unknown; message?: unknown; Message?: unknown };
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  if (typeof b.error === 'object' && b.error !== null) {
    const e = b.error as { code?: unknown; message?: unknown };
    return { code: text(e.code), message: text(e.message) };
  }
  return { code: text(b.error), message: text(b.error_description) ?? text(b.message) ?? text(b.Message) };
}
