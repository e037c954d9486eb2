import { type AzureEmulator, startAzureEmulator } from '../../../infra/local/azure';
import { RetryableError, TerminalError } from '../../../shared/errors';
import type { Action, NetworkRef } from '../../../shared/model';
import type { ApplyContext } from '../../../shared/providers/port';
import { AzurePeeringAdapter } from '../../../shared/providers/azure';
import { runningClock } from '../../support/clock';

// Issue 14, items 2 and 4: ARM's PUT replaces a peering half, and its long-running operations can fail.
const S1 = '11111111-1111-4111-8111-111111111111';
const id = (name: string): string =>
  `/subscriptions/${S1}/resourceGroups/Net/providers/Microsoft.Network/virtualNetworks/${name}`;
const HUB = id('Hub');
const SPOKE = id('Spoke');
const API = 'api-version=2024-05-01';
const ref = (vnetId: string): NetworkRef => ({
  cloud: 'azure',
  account: S1,
  region: 'westeurope',
  id: vnetId.toLowerCase(),
});
// The emulator and the adapter share one clock with a fixed date; deadlines stay elapsed-time budgets.
const clock = runningClock();
const ctx = (): ApplyContext => ({
  now: clock.now(),
  resolvePeeringId: () => undefined,
  deadline: Date.now() + 30_000,
});
const update = (after: Record<string, boolean>, sync = false): Action => ({
  action: 'update-peering',
  cloud: 'azure',
  reason: 'test',
  target: { requester: ref(HUB), accepter: ref(SPOKE) },
  before: {},
  after,
  ...(sync ? { sync: true } : {}),
});

let emu: AzureEmulator;
let adapter: AzurePeeringAdapter;
beforeEach(async () => {
  emu = await startAzureEmulator({ now: clock.now });
  adapter = new AzurePeeringAdapter({
    subscriptions: [S1],
    endpoint: emu.url,
    client: { sleep: async () => undefined, random: () => 0, maxAttempts: 2 },
  });
  emu.state.createSubscription(S1);
  for (const [name, cidr] of [
    ['Hub', '10.0.0.0/16'],
    ['Spoke', '10.1.0.0/16'],
  ] as const) {
    emu.state.createVnet({
      subscription: S1,
      resourceGroup: 'Net',
      name,
      location: 'westeurope',
      addressPrefixes: [cidr],
    });
  }
});
afterEach(() => emu.close());

async function arm(
  method: string,
  path: string,
  body?: unknown,
  query = API,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.url}${path}?${query}`, {
    method,
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
/** A PUT as a person would make it (the portal waits for the operation). */
async function put(path: string, body: unknown): Promise<void> {
  const res = await arm('PUT', path, body);
  const poll = res.headers.get('azure-asyncoperation');
  while (poll && (await arm('GET', new URL(poll).pathname)).body.status === 'InProgress');
}
const half = async (vnet: string, name: string) =>
  (await arm('GET', `${vnet}/virtualNetworkPeerings/${name}`)).body.properties as Record<string, unknown>;

describe('a PUT replaces the whole half', () => {
  it('resets in the emulator what the body leaves out, as ARM does (no merge)', async () => {
    await put(`${HUB}/virtualNetworkPeerings/p`, {
      properties: {
        remoteVirtualNetwork: { id: SPOKE },
        allowForwardedTraffic: true,
        peerCompleteVnets: false,
        localSubnetNames: ['app'],
        remoteSubnetNames: ['db'],
      },
    });
    await put(`${HUB}/virtualNetworkPeerings/p`, { properties: { remoteVirtualNetwork: { id: SPOKE } } });
    expect(await half(HUB, 'p')).toMatchObject({
      allowForwardedTraffic: false,
      peerCompleteVnets: true,
      enableOnlyIPv6Peering: false,
    });
    expect(await half(HUB, 'p')).not.toHaveProperty('localSubnetNames');
  });

  it.each([
    {
      reason: 'an options update keeps a subnet peering a subnet peering',
      action: update({ allowForwardedTraffic: true }),
    },
    { reason: 'a sync keeps it too', action: update({}, true) },
  ])('$reason: the adapter reads the half and sends every property back', async ({ action }) => {
    const subnetPeering = {
      peerCompleteVnets: false,
      localSubnetNames: ['app'],
      remoteSubnetNames: ['db'],
      enableOnlyIPv6Peering: true,
      doNotVerifyRemoteGateways: true,
    };
    await put(`${HUB}/virtualNetworkPeerings/peerkeeper-spoke`, {
      properties: { remoteVirtualNetwork: { id: SPOKE }, ...subnetPeering },
    });
    await put(`${SPOKE}/virtualNetworkPeerings/peerkeeper-hub`, {
      properties: { remoteVirtualNetwork: { id: HUB }, ...subnetPeering },
    });
    emu.state.setAddressSpace(SPOKE, ['10.1.0.0/16', '10.9.0.0/16']);
    expect((await adapter.apply(action, ctx())).status).toBe('done');
    expect(await half(HUB, 'peerkeeper-spoke')).toMatchObject(subnetPeering);
  });
});

describe('long-running operations that fail, with the codes ARM uses', () => {
  it('answers AnotherOperationInProgress inside a Failed poll, which the adapter retries as retryable', async () => {
    emu.state.createPeeringHalf(HUB, 'peerkeeper-spoke', { remoteId: SPOKE });
    emu.state.createPeeringHalf(SPOKE, 'peerkeeper-hub', { remoteId: HUB });
    emu.faults.lroPolls = 5;
    await arm('PUT', HUB, {
      location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } },
    });
    const error = await adapter.apply(update({ allowForwardedTraffic: true }), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ code: 'AnotherOperationInProgress', message: expect.stringMatching(/ended Failed/) });
    expect(await half(HUB, 'peerkeeper-spoke')).toMatchObject({ allowForwardedTraffic: false });
  });

  it('fails an address-space change that overlaps a peered VNet in the poll with VnetAddressSpaceOverlapsWithAlreadyPeeredVnet (terminal)', async () => {
    emu.state.createPeeringHalf(HUB, 'p', { remoteId: SPOKE });
    const put = await adapter.client.request('PUT', `${HUB}?${API}`, Date.now() + 10_000, {
      location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16', '10.1.128.0/17'] } },
    });
    expect(put.status).toBe(200);
    const error = await adapter.client.waitFor(put, Date.now() + 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({ code: 'VnetAddressSpaceOverlapsWithAlreadyPeeredVnet' });
    expect(emu.state.vnet(HUB)!.addressPrefixes).toEqual(['10.0.0.0/16']);
  });

  it('refuses a peering to a VNet still provisioning with 400 ReferencedResourceNotProvisioned, retried until the VNet is ready', async () => {
    emu.faults.lroPolls = 1;
    const put = await arm('PUT', SPOKE, {
      location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] } },
    });
    const create: Action = {
      action: 'create-peering',
      cloud: 'azure',
      reason: 'test',
      target: { requester: ref(HUB), accepter: ref(SPOKE) },
      after: { options: {}, tags: {} },
    };
    await expect(adapter.apply(create, ctx())).rejects.toMatchObject({
      retryable: true,
      code: 'ReferencedResourceNotProvisioned',
    });
    await arm('GET', new URL(put.headers.get('azure-asyncoperation')!).pathname);
    expect((await adapter.apply(create, ctx())).status).toBe('done');
  });

  it('names a second peering to the same remote VNet AnotherPeeringAlreadyReferencesRemoteVnet', async () => {
    emu.state.createPeeringHalf(HUB, 'first', { remoteId: SPOKE });
    const second = adapter.client.request('PUT', `${HUB}/virtualNetworkPeerings/second?${API}`, Date.now() + 10_000, {
      properties: { remoteVirtualNetwork: { id: SPOKE } },
    });
    await expect(second).rejects.toMatchObject({ retryable: false, code: 'AnotherPeeringAlreadyReferencesRemoteVnet' });
  });

  it.each([
    {
      reason: 'a version Microsoft.Network never shipped',
      path: HUB,
      version: '2099-01-01',
      code: 'NoRegisteredProviderFound',
    },
    {
      reason: 'a resource-group call with a network-only version',
      path: `/subscriptions/${S1}/resourceGroups/Net`,
      version: '2024-05-01',
      code: 'InvalidApiVersionParameter',
    },
    { reason: 'no version at all', path: HUB, version: '', code: 'MissingApiVersionParameter' },
  ])('refuses an unknown api-version: $reason', async ({ path, version, code }) => {
    const res = await arm('GET', path, undefined, version ? `api-version=${version}` : '');
    expect(res).toMatchObject({ status: 400, body: { error: { code } } });
  });
});
