import { type AzureEmulator, startAzureEmulator } from '../../../infra/local/azure';
import type { Action, ActionOf, NetworkRef, Observation } from '../../../shared/model';
import type { ApplyContext } from '../../../shared/providers/port';
import { AZURE_PERMISSIONS, AzurePeeringAdapter, createAzureProvider } from '../../../shared/providers/azure';
import { PolicySchema } from '../../../shared/policy/schema';
import { runningClock } from '../../support/clock';

const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const id = (sub: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/Net/providers/Microsoft.Network/virtualNetworks/${name}`;
const HUB = id(S1, 'Hub');
const SPOKE = id(S1, 'Spoke');
const PARTNER = id(S2, 'Partner');
const RT = `/subscriptions/${S1}/resourceGroups/Net/providers/Microsoft.Network/routeTables/spoke-rt`;
const ref = (vnetId: string, account = S1, region = 'westeurope'): NetworkRef => ({
  cloud: 'azure',
  account,
  region,
  id: vnetId.toLowerCase(),
});

let emu: AzureEmulator;
let adapter: AzurePeeringAdapter;
const sleeps: number[] = [];
const seenOperations = new Set<string>();
// The emulator and the adapter share one clock with a fixed date; deadlines stay elapsed-time budgets.
const clock = runningClock();
const ctx = (): ApplyContext => ({
  now: clock.now(),
  resolvePeeringId: () => undefined,
  deadline: Date.now() + 30_000,
});
const observe = (): Promise<Observation> => adapter.observe([{ cloud: 'azure', account: S1 }]);
const handle = { requester: ref(HUB), accepter: ref(SPOKE) };
const base = { cloud: 'azure' as const, reason: 'test' };

beforeAll(async () => {
  emu = await startAzureEmulator({ now: clock.now });
  adapter = new AzurePeeringAdapter({
    subscriptions: [S1],
    endpoint: emu.url,
    client: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
});
afterAll(() => emu.close());
beforeEach(() => {
  for (const op of Object.keys(emu.calls.snapshot())) seenOperations.add(op);
  emu.faults.clear();
  emu.state.vnets.clear();
  emu.state.routeTables.clear();
  emu.calls.reset();
  emu.events.length = 0;
  sleeps.length = 0;
  emu.state.createSubscription(S1, { displayName: 'network-prod', tags: { env: 'prod' } });
  for (const [sub, name, cidr] of [
    [S1, 'Hub', '10.0.0.0/16'],
    [S1, 'Spoke', '10.1.0.0/16'],
    [S2, 'Partner', '10.2.0.0/16'],
  ] as const) {
    emu.state.createVnet({
      subscription: sub,
      resourceGroup: 'Net',
      name,
      location: 'westeurope',
      addressPrefixes: [cidr],
      tags: { role: name.toLowerCase() },
    });
  }
});

async function apply(action: Action): Promise<Awaited<ReturnType<AzurePeeringAdapter['apply']>>> {
  return adapter.apply(action, ctx());
}

describe('observe', () => {
  it('lists VNets of the subscription with lower-cased refs, tags, address space and subscription labels', async () => {
    const seen = await observe();
    expect(seen.complete).toBe(true);
    expect(seen.networks.map((n) => [n.ref, n.name, n.cidrs, n.tags])).toEqual([
      [ref(HUB), 'Hub', ['10.0.0.0/16'], { role: 'hub' }],
      [ref(SPOKE), 'Spoke', ['10.1.0.0/16'], { role: 'spoke' }],
    ]);
    expect(seen.accounts).toEqual([{ cloud: 'azure', account: S1, name: 'network-prod', labels: { env: 'prod' } }]);
  });

  it('reports a half towards a VNet outside the observed subscriptions, with region unknown', async () => {
    emu.state.createPeeringHalf(HUB, 'to-partner', { remoteId: PARTNER });
    const [peering] = (await observe()).peerings;
    expect(peering).toMatchObject({
      state: 'requested',
      requester: ref(HUB),
      accepter: ref(PARTNER, S2, 'unknown'),
      tags: {},
    });
  });

  it('puts a route table under the VNet of its subnets, maps UDR next hops, and skips unassociated tables', async () => {
    emu.state.createRouteTable({
      subscription: S1,
      resourceGroup: 'Net',
      name: 'spoke-rt',
      location: 'westeurope',
      tags: { managed: 'yes' },
    });
    emu.state.createRouteTable({ subscription: S1, resourceGroup: 'Net', name: 'lonely', location: 'westeurope' });
    emu.state.addRoute(RT, {
      name: 'fw',
      addressPrefix: '0.0.0.0/0',
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: '10.0.0.4',
    });
    emu.state.addRoute(RT, { name: 'gw', addressPrefix: '192.168.0.0/16', nextHopType: 'VirtualNetworkGateway' });
    emu.state.associateSubnet({ vnetId: SPOKE, name: 'app', addressPrefix: '10.1.0.0/24', routeTableId: RT });
    const spoke = (await observe()).networks.find((n) => n.name === 'Spoke')!;
    expect(spoke.routeTables).toEqual([
      {
        id: RT.toLowerCase(),
        network: ref(SPOKE),
        tags: { managed: 'yes' },
        routes: [
          { destination: '0.0.0.0/0', target: { kind: 'other', id: 'VirtualAppliance:10.0.0.4' }, origin: 'static' },
          { destination: '192.168.0.0/16', target: { kind: 'other', id: 'VirtualNetworkGateway' }, origin: 'static' },
        ],
      },
    ]);
    expect((await observe()).networks.flatMap((n) => n.routeTables.map((t) => t.id))).toEqual([RT.toLowerCase()]);
  });

  it('marks the observation incomplete with a gap line when a page fails mid-list, and keeps what it read', async () => {
    emu.faults.pageSize = 1;
    emu.faults.serverError({ operation: 'Microsoft.Network/virtualNetworks/read', pathIncludes: '$skiptoken=1' });
    const seen = await observe();
    expect(seen.complete).toBe(false);
    expect(seen.gaps).toEqual([
      expect.stringMatching(
        new RegExp(`^azure:${S1}: listing virtual networks failed after 1 items: .*InternalServerError`),
      ),
    ]);
    expect(seen.networks.map((n) => n.name)).toEqual(['Hub']);
  });
});

describe('apply through the emulator', () => {
  it('creates (requested), accepts (active), repairs nothing twice, syncs after an address change, and fails on a lost half', async () => {
    const created = await apply({
      ...base,
      action: 'create-peering',
      target: handle,
      after: { options: { allowForwardedTraffic: true }, tags: {} },
    });
    const hubHalf = `${HUB}/virtualNetworkPeerings/peerkeeper-spoke`.toLowerCase();
    expect(created).toEqual({ status: 'done', peeringId: hubHalf });
    expect((await observe()).peerings).toEqual([
      expect.objectContaining({
        id: hubHalf,
        state: 'requested',
        requester: ref(HUB),
        accepter: ref(SPOKE),
        options: expect.objectContaining({ allowForwardedTraffic: true }),
        tags: { 'peerkeeper:managed': 'true' },
      }),
    ]);
    expect(emu.events.map((e) => [e.data.operationName, e.subject])).toEqual([
      [
        'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
        `${HUB}/virtualNetworkPeerings/peerkeeper-spoke`,
      ],
    ]);

    expect(
      await apply({
        ...base,
        action: 'accept-peering',
        target: handle,
        after: { options: { allowForwardedTraffic: true } },
      }),
    ).toEqual({ status: 'done', peeringId: hubHalf });
    expect((await observe()).peerings).toEqual([expect.objectContaining({ id: hubHalf, state: 'active' })]);

    const writes = emu.calls.writes();
    expect((await apply({ ...base, action: 'accept-peering', target: handle, after: { options: {} } })).status).toBe(
      'converged',
    );
    expect(
      (await apply({ ...base, action: 'create-peering', target: handle, after: { options: {}, tags: {} } })).status,
    ).toBe('converged');
    expect(emu.calls.writes()).toBe(writes);

    emu.state.setAddressSpace(SPOKE, ['10.1.0.0/16', '10.11.0.0/16']);
    expect((await observe()).peerings[0]).toMatchObject({ needsSync: true });
    const sync: ActionOf<'update-peering'> = {
      ...base,
      action: 'update-peering',
      target: handle,
      before: {},
      after: {},
      sync: true,
    };
    expect((await apply(sync)).status).toBe('done');
    expect((await observe()).peerings[0]!.needsSync).toBeUndefined();
    expect((await apply(sync)).status).toBe('converged');

    emu.state.deletePeeringHalf(SPOKE, 'peerkeeper-hub');
    expect((await observe()).peerings[0]).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('Disconnected'),
    });
    // Accepting again re-PUTs the Disconnected half first, then creates the reciprocal.
    expect((await apply({ ...base, action: 'accept-peering', target: handle, after: { options: {} } })).status).toBe(
      'done',
    );
    expect((await observe()).peerings[0]!.state).toBe('active');

    const before = (await observe()).peerings[0]!;
    expect((await apply({ ...base, action: 'delete-peering', target: handle, before })).status).toBe('done');
    expect((await observe()).peerings).toEqual([]);
    expect((await apply({ ...base, action: 'delete-peering', target: handle, before })).status).toBe('converged');
  });

  it('updates options on both halves', async () => {
    await apply({ ...base, action: 'create-peering', target: handle, after: { options: {}, tags: {} } });
    await apply({ ...base, action: 'accept-peering', target: handle, after: { options: {} } });
    const update: ActionOf<'update-peering'> = {
      ...base,
      action: 'update-peering',
      target: handle,
      before: { allowForwardedTraffic: false },
      after: { allowForwardedTraffic: true },
    };
    expect((await apply(update)).status).toBe('done');
    for (const [vnet, name] of [
      [HUB, 'peerkeeper-spoke'],
      [SPOKE, 'peerkeeper-hub'],
    ] as const) {
      expect(emu.state.vnet(vnet)!.peerings.get(name)!.options.allowForwardedTraffic).toBe(true);
    }
  });

  it('rejects a request from our own subscription by deleting it, and skips one from elsewhere', async () => {
    emu.state.createPeeringHalf(SPOKE, 'please', { remoteId: HUB });
    const fromSpoke = { requester: ref(SPOKE), accepter: ref(HUB) };
    expect((await apply({ ...base, action: 'reject-peering', target: fromSpoke })).status).toBe('done');
    expect(emu.state.vnet(SPOKE)!.peerings.size).toBe(0);
    const fromPartner = { requester: ref(PARTNER, S2), accepter: ref(HUB) };
    expect(await apply({ ...base, action: 'reject-peering', target: fromPartner })).toMatchObject({
      status: 'skipped',
      detail: expect.stringContaining(S2),
    });
  });

  it('refuses overlapping address spaces as a terminal error with the ARM code', async () => {
    emu.state.setAddressSpace(SPOKE, ['10.0.128.0/17']);
    await expect(
      apply({ ...base, action: 'create-peering', target: handle, after: { options: {}, tags: {} } }),
    ).rejects.toMatchObject({ retryable: false, code: 'VnetAddressSpacesOverlap' });
  });

  it('honours Retry-After on a throttled write and retries', async () => {
    emu.faults.throttle({
      operation: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
      times: 1,
      retryAfterSeconds: 3,
    });
    expect(
      (await apply({ ...base, action: 'create-peering', target: handle, after: { options: {}, tags: {} } })).status,
    ).toBe('done');
    expect(sleeps).toContain(3000);
  });

  it('creates, replaces and deletes UDRs with re-checked preconditions', async () => {
    emu.state.createRouteTable({ subscription: S1, resourceGroup: 'Net', name: 'spoke-rt', location: 'westeurope' });
    emu.state.associateSubnet({ vnetId: SPOKE, name: 'app', addressPrefix: '10.1.0.0/24', routeTableId: RT });
    const slot = { network: ref(SPOKE), routeTableId: RT.toLowerCase(), destination: '10.2.0.0/16' };
    const via = (ip: string) => ({ kind: 'other' as const, id: `VirtualAppliance:${ip}` });
    expect((await apply({ ...base, action: 'create-route', target: slot, after: via('10.0.0.4') })).status).toBe(
      'done',
    );
    expect(emu.state.routeTable(RT)!.routes.get('peerkeeper-10.2.0.0-16')).toMatchObject({
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: '10.0.0.4',
    });
    expect((await apply({ ...base, action: 'create-route', target: slot, after: via('10.0.0.4') })).status).toBe(
      'converged',
    );
    const before = { destination: '10.2.0.0/16', target: via('10.0.0.4'), origin: 'static' as const };
    expect(
      (
        await apply({
          ...base,
          action: 'replace-route',
          target: slot,
          before: { ...before, target: via('10.9.9.9') },
          after: via('10.0.0.5'),
        })
      ).status,
    ).toBe('skipped');
    expect(
      (await apply({ ...base, action: 'replace-route', target: slot, before, after: via('10.0.0.5') })).status,
    ).toBe('done');
    expect(
      (await apply({ ...base, action: 'delete-route', target: slot, before: { ...before, target: via('10.0.0.5') } }))
        .status,
    ).toBe('done');
    expect((await apply({ ...base, action: 'delete-route', target: slot, before })).status).toBe('converged');
    expect(emu.events.map((e) => e.data.operationName)).toEqual([
      'Microsoft.Network/routeTables/routes/write',
      'Microsoft.Network/routeTables/routes/write',
      'Microsoft.Network/routeTables/routes/delete',
    ]);
  });
});

describe('wiring', () => {
  it('declares every RBAC action the calls above used (least privilege is built from the declarations)', () => {
    const declared = new Set<string>(Object.values(AZURE_PERMISSIONS).flat());
    for (const op of Object.keys(emu.calls.snapshot())) seenOperations.add(op);
    expect(seenOperations.size).toBeGreaterThan(5);
    expect([...seenOperations].filter((op) => !declared.has(op))).toEqual([]);
  });

  it('takes subscriptions from the policy and azure groups, and the endpoint from PEERKEEPER_AZURE_ENDPOINT', async () => {
    const policy = PolicySchema.parse({
      version: 1,
      providers: { azure: { subscriptions: [S1] } },
      groups: {
        partners: { cloud: 'azure', account: [S2.toUpperCase()] },
        aws: { cloud: 'aws', account: '111111111111' },
      },
    });
    const provider = createAzureProvider(policy, { PEERKEEPER_AZURE_ENDPOINT: emu.url });
    expect(provider.client.endpoint).toBe(emu.url);
    expect(await provider.partitions()).toEqual([
      { cloud: 'azure', account: S1 },
      { cloud: 'azure', account: S2 },
    ]);
  });

  it('adds the subscriptions under a management group', async () => {
    const S3 = '33333333-3333-4333-8333-333333333333';
    emu.state.createSubscription(S3, { managementGroup: 'landing-zones' });
    const viaGroup = new AzurePeeringAdapter({
      subscriptions: [S1],
      managementGroup: 'landing-zones',
      endpoint: emu.url,
    });
    expect(await viaGroup.partitions()).toEqual([
      { cloud: 'azure', account: S1 },
      { cloud: 'azure', account: S3 },
    ]);
  });
});
