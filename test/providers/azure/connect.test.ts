import { type AzureEmulator, startAzureEmulator } from '../../../infra/local/azure';
import { ConvergedError, RetryableError, TerminalError } from '../../../shared/errors';
import { ArmClient, StaticTokenCredential } from '../../../shared/providers/azure';
import { armError, retryAfterMs } from '../../../shared/providers/azure/errors';

const VNET = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1';
const API = '?api-version=2024-05-01';

let emu: AzureEmulator;
let clock = 0;
const sleeps: number[] = [];

function client(extra: Partial<ConstructorParameters<typeof ArmClient>[0]> = {}): ArmClient {
  return new ArmClient({
    endpoint: emu.url,
    credential: new StaticTokenCredential('t'),
    random: () => 1,
    clock: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    ...extra,
  });
}

beforeAll(async () => {
  emu = await startAzureEmulator();
  emu.state.createVnet({
    subscription: 's1',
    resourceGroup: 'rg',
    name: 'v1',
    location: 'westus',
    addressPrefixes: ['10.0.0.0/16'],
  });
  emu.state.createVnet({
    subscription: 's1',
    resourceGroup: 'rg',
    name: 'v2',
    location: 'westus',
    addressPrefixes: ['10.1.0.0/16'],
  });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.faults.clear();
  emu.calls.reset();
  sleeps.length = 0;
  clock = 0;
});

describe('ArmClient', () => {
  it('retries 5xx with exponential backoff, then gives up with a RetryableError after 4 attempts', async () => {
    emu.faults.serverError({ status: 503 });
    await expect(client().request('GET', `${VNET}${API}`, 60_000)).rejects.toBeInstanceOf(RetryableError);
    expect(emu.calls.count('Microsoft.Network/virtualNetworks/read')).toBe(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('succeeds once a transient 500 passes', async () => {
    emu.faults.serverError({ times: 2 });
    expect((await client().request('GET', `${VNET}${API}`, 60_000)).status).toBe(200);
  });

  it('does not sleep past the deadline: a long Retry-After surfaces as retryAfterMs for the executor', async () => {
    emu.faults.throttle({ retryAfterSeconds: 120 });
    await expect(client().request('GET', `${VNET}${API}`, 60_000)).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 120_000,
    });
    expect(sleeps).toEqual([]);
  });

  it('polls Azure-AsyncOperation with the Retry-After ARM sends until Succeeded', async () => {
    emu.faults.lroPolls = 3;
    emu.faults.lroRetryAfterSeconds = 10;
    const arm = client();
    const put = await arm.request('PUT', `${VNET}/virtualNetworkPeerings/p${API}`, 600_000, {
      properties: { remoteVirtualNetwork: { id: VNET.replace('v1', 'v2') } },
    });
    await arm.waitFor(put, 600_000);
    expect(emu.calls.count('Microsoft.Network/locations/operations/read')).toBe(4);
    expect(sleeps).toEqual([10_000, 10_000, 10_000, 10_000]);
  });

  it('stops polling at the deadline with a retryable OperationStillRunning', async () => {
    emu.faults.lroPolls = 100;
    emu.faults.lroRetryAfterSeconds = 10;
    const arm = client();
    const put = await arm.request('DELETE', `${VNET}/virtualNetworkPeerings/p${API}`, 25_000);
    await expect(arm.waitFor(put, 25_000)).rejects.toMatchObject({ retryable: true, code: 'OperationStillRunning' });
    expect(emu.calls.count('Microsoft.Network/locations/operations/read')).toBe(2);
  });

  it('refuses plain http off loopback and nextLinks that leave the endpoint', () => {
    expect(
      () => new ArmClient({ endpoint: 'http://management.example.com', credential: new StaticTokenCredential('t') }),
    ).toThrow(TerminalError);
    expect(() => client().url('https://evil.example.com/subscriptions')).toThrow(/refusing to follow/);
  });

  it('maps a refused connection to a RetryableError', async () => {
    const dead = new ArmClient({
      endpoint: 'http://127.0.0.1:1',
      credential: new StaticTokenCredential('t'),
      maxAttempts: 1,
    });
    await expect(dead.request('GET', `${VNET}${API}`, Date.now() + 5000)).rejects.toMatchObject({
      retryable: true,
      code: 'NetworkError',
    });
  });
});

describe('armError', () => {
  const url = 'https://management.azure.com/x';
  const body = (code: string) => ({ error: { code, message: 'm' } });
  const cases: Record<
    string,
    {
      reason: string;
      method: string;
      status: number;
      code: string;
      headers?: Record<string, string>;
      want: { type: unknown; retryAfterMs?: number };
    }
  > = {
    throttled: {
      reason: 'ARM throttling is retried after Retry-After',
      method: 'GET',
      status: 429,
      code: 'SubscriptionRequestsThrottled',
      headers: { 'retry-after': '5' },
      want: { type: RetryableError, retryAfterMs: 5000 },
    },
    busy: {
      reason: 'another write on the VNet: try again',
      method: 'PUT',
      status: 409,
      code: 'AnotherOperationInProgress',
      want: { type: RetryableError },
    },
    server: {
      reason: '5xx is transient',
      method: 'PUT',
      status: 502,
      code: 'BadGateway',
      want: { type: RetryableError },
    },
    gone: {
      reason: '404 on delete means it is already gone',
      method: 'DELETE',
      status: 404,
      code: 'NotFound',
      want: { type: ConvergedError },
    },
    overlap: {
      reason: 'overlapping address spaces cannot be fixed by retrying',
      method: 'PUT',
      status: 400,
      code: 'VnetAddressSpacesOverlap',
      want: { type: TerminalError },
    },
    denied: {
      reason: 'missing RBAC is terminal',
      method: 'PUT',
      status: 403,
      code: 'AuthorizationFailed',
      want: { type: TerminalError },
    },
    missing: {
      reason: '404 on a read is terminal for the caller (getOptional turns it into undefined)',
      method: 'GET',
      status: 404,
      code: 'ResourceNotFound',
      want: { type: TerminalError },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    const error = armError(c.method, url, c.status, body(c.code), c.headers ?? {}, 0);
    expect(error).toBeInstanceOf(c.want.type);
    expect(error.code).toBe(c.code);
    if (c.want.retryAfterMs !== undefined) expect((error as RetryableError).retryAfterMs).toBe(c.want.retryAfterMs);
  });

  it('reads Retry-After as seconds, milliseconds or an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after': '7' }, 0)).toBe(7000);
    expect(retryAfterMs({ 'retry-after-ms': '250' }, 0)).toBe(250);
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 1970 00:00:10 GMT' }, 4000)).toBe(6000);
    expect(retryAfterMs({}, 0)).toBeUndefined();
  });
});
