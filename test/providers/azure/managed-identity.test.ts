import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RetryableError, TerminalError } from '../../../shared/errors';
import { defaultCredential } from '../../../shared/providers/azure/connect';
import {
  AppServiceManagedIdentityCredential,
  REFRESH_MARGIN_MS,
  scopeToResource,
} from '../../../shared/providers/azure/managed-identity';

// The token service as App Service runs it: a loopback sidecar at IDENTITY_ENDPOINT (…/MSI/token/).
const SECRET = 'f00dfeed-identity-header-value';
const ARM = 'https://management.azure.com/.default';
const EXPIRES_ON = 1_900_000_000; // epoch seconds, as the protocol sends them (a string)
const EXPIRES_MS = EXPIRES_ON * 1000;

let server: Server;
let endpoint: string;
let requests: IncomingMessage[] = [];
let answer: (req: IncomingMessage, res: ServerResponse) => void;
let now = 0;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function tokenFor(req: IncomingMessage): object {
  const resource = new URL(req.url!, 'http://x').searchParams.get('resource');
  return {
    access_token: `token-${requests.indexOf(req)}-${resource}`,
    expires_on: String(EXPIRES_ON),
    resource,
    token_type: 'Bearer',
  };
}

function credential(
  extra: Partial<ConstructorParameters<typeof AppServiceManagedIdentityCredential>[0]> = {},
): AppServiceManagedIdentityCredential {
  return new AppServiceManagedIdentityCredential({ endpoint, identityHeader: SECRET, clock: () => now, ...extra });
}

/** Resolves once the server has received `count` requests (the request is in flight, unanswered). */
async function received(count: number): Promise<void> {
  while (requests.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/MSI/token/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = [];
  now = EXPIRES_MS - 3_600_000;
  answer = (req, res) => json(res, 200, tokenFor(req));
});

describe('AppServiceManagedIdentityCredential: the request', () => {
  it.each([
    {
      reason: 'ARM scope: /.default is stripped to the v1 resource; no client_id asks for the system-assigned identity',
      scope: ARM,
      clientId: undefined,
      resource: 'https://management.azure.com',
      client: null,
    },
    {
      reason: 'Key Vault scope with a user-assigned identity: client_id selects it',
      scope: 'https://vault.azure.net/.default',
      clientId: '5e29463d-71da-4fe0-8e69-999b57db23b0',
      resource: 'https://vault.azure.net',
      client: '5e29463d-71da-4fe0-8e69-999b57db23b0',
    },
    {
      reason: 'a scope given as a one-element array, without /.default, is the resource itself',
      scope: ['https://storage.azure.com/'],
      clientId: undefined,
      resource: 'https://storage.azure.com/',
      client: null,
    },
  ])('$reason', async ({ scope, clientId, resource, client }) => {
    const token = await credential(clientId ? { clientId } : {}).getToken(scope);
    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    const url = new URL(req.url!, 'http://x');
    expect(req.method).toBe('GET');
    expect(url.pathname).toBe('/MSI/token/');
    expect(url.searchParams.get('api-version')).toBe('2019-08-01');
    expect(url.searchParams.get('resource')).toBe(resource);
    expect(url.searchParams.get('client_id')).toBe(client);
    expect(req.headers['x-identity-header']).toBe(SECRET);
    expect(token).toEqual({
      token: `token-0-${resource}`,
      expiresOnTimestamp: EXPIRES_MS,
      refreshAfterTimestamp: EXPIRES_MS - REFRESH_MARGIN_MS,
      tokenType: 'Bearer',
    });
  });

  it.each([
    { reason: 'two scopes cannot be one v1 resource', scopes: [ARM, 'https://vault.azure.net/.default'] },
    { reason: 'no scope names no resource', scopes: [] as string[] },
    { reason: 'an empty scope names no resource', scopes: '' },
  ])('refuses $reason, without calling the endpoint', async ({ scopes }) => {
    await expect(credential().getToken(scopes)).rejects.toMatchObject({ name: 'TerminalError', code: 'InvalidScope' });
    expect(requests).toHaveLength(0);
  });

  it('maps scopes to resources', () => {
    expect(scopeToResource('https://management.azure.com//.default')).toBe('https://management.azure.com/');
    expect(scopeToResource('api://app/.default')).toBe('api://app');
  });
});

describe('AppServiceManagedIdentityCredential: caching', () => {
  it.each([
    {
      reason: 'well before expiry the cached token is reused',
      at: EXPIRES_MS - REFRESH_MARGIN_MS - 1000,
      requests: 1,
      second: 'token-0',
    },
    {
      reason: 'inside the 5-minute margin it is renewed',
      at: EXPIRES_MS - REFRESH_MARGIN_MS + 1000,
      requests: 2,
      second: 'token-1',
    },
    { reason: 'after expiry it is renewed', at: EXPIRES_MS + 1000, requests: 2, second: 'token-1' },
  ])('$reason', async ({ at, requests: count, second }) => {
    const mi = credential();
    await mi.getToken(ARM);
    now = at;
    expect((await mi.getToken(ARM)).token).toBe(`${second}-https://management.azure.com`);
    expect(requests).toHaveLength(count);
  });

  it('caches per resource', async () => {
    const mi = credential();
    await mi.getToken(ARM);
    await mi.getToken('https://vault.azure.net/.default');
    await mi.getToken(ARM);
    expect(requests.map((r) => new URL(r.url!, 'http://x').searchParams.get('resource'))).toEqual([
      'https://management.azure.com',
      'https://vault.azure.net',
    ]);
  });

  it('gives concurrent callers one request and the same token', async () => {
    answer = (req, res) => setTimeout(() => json(res, 200, tokenFor(req)), 50);
    const mi = credential();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => mi.getToken(ARM)));
    expect(requests).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
  });

  it('keeps serving the old token when an early refresh hits a 5xx, but not past its expiry', async () => {
    const mi = credential();
    await mi.getToken(ARM);
    answer = (_req, res) => json(res, 503, { error: { code: 'ServiceUnavailable', message: 'token service busy' } });
    now = EXPIRES_MS - 60_000;
    expect((await mi.getToken(ARM)).token).toBe('token-0-https://management.azure.com');
    now = EXPIRES_MS + 1;
    await expect(mi.getToken(ARM)).rejects.toBeInstanceOf(RetryableError);
    expect(requests).toHaveLength(3);
  });

  it('retries after a failure instead of caching it', async () => {
    answer = (_req, res) => json(res, 500, {});
    const mi = credential();
    await expect(mi.getToken(ARM)).rejects.toBeInstanceOf(RetryableError);
    answer = (req, res) => json(res, 200, tokenFor(req));
    expect((await mi.getToken(ARM)).token).toBe('token-1-https://management.azure.com');
  });
});

describe('AppServiceManagedIdentityCredential: errors', () => {
  it.each([
    {
      reason: "a 403 is configuration (identity lacks access): terminal, with Azure's code and message",
      status: 403,
      body: JSON.stringify({ error: { code: 'AuthorizationFailed', message: 'identity is not permitted' } }),
      type: TerminalError,
      code: 'AuthorizationFailed',
      says: /answered 403 for https:\/\/management\.azure\.com \(AuthorizationFailed\): identity is not permitted/,
    },
    {
      reason: 'a 400 for a wrong client_id, in the {statusCode, message} shape App Service sends',
      status: 400,
      body: JSON.stringify({ statusCode: 400, message: 'Unable to load the proper Managed Identity.' }),
      type: TerminalError,
      code: 'ManagedIdentityHttp400',
      says: /answered 400 .*Unable to load the proper Managed Identity/,
    },
    {
      reason: 'an OAuth-shaped error keeps error as the code and error_description as the message',
      status: 400,
      body: JSON.stringify({ error: 'invalid_resource', error_description: 'AADSTS500011: resource not found' }),
      type: TerminalError,
      code: 'invalid_resource',
      says: /\(invalid_resource\): AADSTS500011/,
    },
    {
      reason: "a 500 is the token service's trouble: retryable",
      status: 500,
      body: 'upstream failure',
      type: RetryableError,
      code: 'ManagedIdentityHttp500',
      says: /answered 500 .*: upstream failure/,
    },
    {
      reason: 'a 200 that is not JSON is a broken protocol: terminal',
      status: 200,
      body: '<html>hello</html>',
      type: TerminalError,
      code: 'ManagedIdentityBadResponse',
      says: /answered 200 .* not JSON/,
    },
    {
      reason: 'a 200 without access_token is no token',
      status: 200,
      body: JSON.stringify({ expires_on: String(EXPIRES_ON), token_type: 'Bearer' }),
      type: TerminalError,
      code: 'ManagedIdentityBadResponse',
      says: /without an access_token/,
    },
    {
      reason: 'a 200 whose expires_on is unreadable cannot be cached safely',
      status: 200,
      body: JSON.stringify({ access_token: 'secret-token-value', expires_on: 'soon' }),
      type: TerminalError,
      code: 'ManagedIdentityBadResponse',
      says: /unreadable expires_on/,
    },
  ])('$reason', async ({ status, body, type, code, says }) => {
    answer = (_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    const error = await credential()
      .getToken(ARM)
      .then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string },
      );
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code });
    expect(error!.message).toMatch(says);
    expect(error!.message).toContain(`managed identity endpoint ${new URL(endpoint).origin}/MSI/token/`);
    expect(error!.message).not.toContain(SECRET);
    expect(error!.message).not.toContain('secret-token-value');
  });

  it("never repeats the header secret, even when Azure's error echoes it", async () => {
    answer = (req, res) =>
      json(res, 401, {
        error: { code: 'BadHeader', message: `header ${String(req.headers['x-identity-header'])} is stale` },
      });
    await expect(credential().getToken(ARM)).rejects.toThrow(/header <redacted> is stale/);
  });

  it('passes on Retry-After from a 429', async () => {
    answer = (_req, res) =>
      json(res, 429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '7' });
    await expect(credential().getToken(ARM)).rejects.toMatchObject({
      retryable: true,
      code: 'TooManyRequests',
      retryAfterMs: 7000,
    });
  });

  it('gives up on a hung endpoint after the timeout, retryably', async () => {
    answer = () => undefined;
    await expect(credential({ timeoutMs: 100 }).getToken(ARM)).rejects.toMatchObject({
      retryable: true,
      code: 'ManagedIdentityUnreachable',
      message: expect.stringMatching(/no answer within 100 ms/),
    });
  });

  it('reports a refused connection as unreachable, retryably', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(credential({ endpoint: `http://127.0.0.1:${port}/MSI/token/` }).getToken(ARM)).rejects.toMatchObject({
      retryable: true,
      code: 'ManagedIdentityUnreachable',
      message: expect.stringMatching(/unreachable \(.*ECONNREFUSED/),
    });
  });
});

describe('AppServiceManagedIdentityCredential: abort', () => {
  it('rejects at once for an already-aborted signal, without a request', async () => {
    await expect(credential().getToken(ARM, { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(requests).toHaveLength(0);
  });

  it('cancels the request when its only caller aborts', async () => {
    let closed = false;
    answer = (req) =>
      req.socket.on('close', () => {
        closed = true;
      });
    const controller = new AbortController();
    const pending = credential().getToken(ARM, { abortSignal: controller.signal });
    await received(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    for (let i = 0; i < 100 && !closed; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toBe(true);
  });

  it('lets the other callers of a shared request have their token when one aborts', async () => {
    let respond: () => void = () => undefined;
    answer = (req, res) => {
      respond = () => json(res, 200, tokenFor(req));
    };
    const mi = credential();
    const controller = new AbortController();
    const quitter = mi.getToken(ARM, { abortSignal: controller.signal });
    const stayer = mi.getToken(ARM);
    await received(1);
    controller.abort();
    await expect(quitter).rejects.toMatchObject({ name: 'AbortError' });
    respond();
    expect((await stayer).token).toBe('token-0-https://management.azure.com');
    expect(requests).toHaveLength(1);
  });
});

describe('defaultCredential', () => {
  it('uses the App Service managed identity when IDENTITY_ENDPOINT and IDENTITY_HEADER are set, with AZURE_CLIENT_ID', async () => {
    const chosen = defaultCredential({
      IDENTITY_ENDPOINT: endpoint,
      IDENTITY_HEADER: SECRET,
      AZURE_CLIENT_ID: 'user-assigned-client',
    });
    expect(chosen).toBeInstanceOf(AppServiceManagedIdentityCredential);
    await chosen.getToken(ARM);
    expect(new URL(requests[0]!.url!, 'http://x').searchParams.get('client_id')).toBe('user-assigned-client');
    expect(requests[0]!.headers['x-identity-header']).toBe(SECRET);
  });

  it.each([
    { reason: "no managed identity variables: the CLI's default chain", env: {} },
    {
      reason: 'IDENTITY_ENDPOINT without IDENTITY_HEADER is another host (Azure Arc): @azure/identity handles it',
      env: { IDENTITY_ENDPOINT: 'http://127.0.0.1:40342/metadata/identity/oauth2/token' },
    },
  ])('falls back to @azure/identity for $reason', ({ env }) => {
    expect(defaultCredential(env)).not.toBeInstanceOf(AppServiceManagedIdentityCredential);
  });

  it('says the Function App has no managed identity when @azure/identity is not deployed', async () => {
    jest.doMock('@azure/identity', () => {
      throw Object.assign(new Error("Cannot find package '@azure/identity'"), { code: 'ERR_MODULE_NOT_FOUND' });
    });
    try {
      await expect(defaultCredential({}).getToken(ARM)).rejects.toMatchObject({
        name: 'TerminalError',
        code: 'NoManagedIdentity',
        message: expect.stringMatching(
          /^the Function App has no managed identity \(IDENTITY_ENDPOINT unset\): enable it/,
        ),
      });
    } finally {
      jest.dontMock('@azure/identity');
    }
  });
});
