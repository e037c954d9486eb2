import { type AzureEmulator, startAzureEmulator } from '../../../infra/local/azure';
import { RetryableError, TerminalError } from '../../../shared/errors';
import type { Action, ActionKind, ActionOf, AttachmentRouting, NetworkRef, TransitHubRef } from '../../../shared/model';
import { PolicySchema } from '../../../shared/policy/schema';
import { AZURE_PERMISSIONS, AzurePeeringAdapter, createAzureProvider } from '../../../shared/providers/azure';
import type { ApplyContext } from '../../../shared/providers/port';
import { runningClock } from '../../support/clock';

// The Azure adapter's Virtual WAN half against the ARM emulator: what it reads, how it maps ARM's answers and errors.
const HUB_SUB = '11111111-1111-4111-8111-111111111111';
const SPOKE_SUB = '22222222-2222-4222-8222-222222222222';
const NET = (sub: string, rg = 'Net') => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network`;
const LOCATION = 'westeurope';
const WRITE = 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write';

let emu: AzureEmulator;
let adapter: AzurePeeringAdapter;
let hub: TransitHubRef;
let otherHub: TransitHubRef;
const clock = runningClock();
const ctx = (): ApplyContext => ({
  now: clock.now(),
  resolvePeeringId: () => undefined,
  deadline: Date.now() + 30_000,
});
const base = { cloud: 'azure' as const, reason: 'test' };
const routing = (table: string): AttachmentRouting => ({ association: table, propagations: [table] });
const observe = () =>
  adapter.observe([
    { cloud: 'azure', account: HUB_SUB },
    { cloud: 'azure', account: SPOKE_SUB },
  ]);

function vnet(sub: string, name: string, cidr: string, rg = 'Net'): NetworkRef {
  const { record } = emu.state.createVnet({
    subscription: sub,
    resourceGroup: rg,
    name,
    location: LOCATION,
    addressPrefixes: [cidr],
  });
  return { cloud: 'azure', account: sub, region: LOCATION, id: record.id.toLowerCase() };
}
const create = (network: NetworkRef, on = hub): ActionOf<'create-attachment'> => ({
  ...base,
  action: 'create-attachment',
  target: { hub: on, network },
  after: { routing: routing('defaultRouteTable'), tags: {} },
});

function seedHub(sub: string, name: string, extra: { vpnGatewayId?: string; expressRouteGatewayId?: string } = {}) {
  const wan = emu.state.wan.createVirtualWan({
    subscription: sub,
    resourceGroup: 'Wan',
    name: 'wan',
    location: LOCATION,
  });
  const record = emu.state.wan.createVirtualHub({
    subscription: sub,
    resourceGroup: 'Wan',
    name,
    location: LOCATION,
    virtualWanId: wan.id,
    addressPrefix: '10.100.0.0/23',
    ...extra,
  });
  emu.state.wan.putRouteTable(record.id, 'spokes', { routes: [], labels: [] });
  return { cloud: 'azure' as const, account: sub, region: LOCATION, id: record.id.toLowerCase() };
}

beforeAll(async () => {
  emu = await startAzureEmulator({ now: clock.now });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.faults.clear();
  emu.state.lroPolls = 0;
  emu.state.vnets.clear();
  emu.state.wan.hubs.clear();
  emu.state.operations.clear();
  for (const sub of [HUB_SUB, SPOKE_SUB]) emu.state.createSubscription(sub);
  adapter = new AzurePeeringAdapter({
    subscriptions: [HUB_SUB, SPOKE_SUB],
    transitSubscriptions: [HUB_SUB],
    endpoint: emu.url,
    client: { sleep: async () => undefined, random: () => 0 },
  });
  hub = seedHub(HUB_SUB, 'hub', {
    vpnGatewayId: `${NET(HUB_SUB, 'Wan')}/vpnGateways/hub-vpn`,
    expressRouteGatewayId: `${NET(HUB_SUB, 'Wan')}/expressRouteGateways/hub-er`,
  });
  otherHub = seedHub(SPOKE_SUB, 'other-hub');
  emu.calls.reset();
});

describe('observe', () => {
  it('reads 1 + 2 × hubs lists, only in the subscriptions that own a declared hub', async () => {
    await observe();
    expect(emu.calls.count('Microsoft.Network/virtualHubs/read')).toBe(1);
    expect(emu.calls.count('Microsoft.Network/virtualHubs/hubRouteTables/read')).toBe(1);
    expect(emu.calls.count('Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/read')).toBe(1);
    emu.calls.reset();
    const plain = new AzurePeeringAdapter({ subscriptions: [HUB_SUB], endpoint: emu.url });
    const obs = await plain.observe([{ cloud: 'azure', account: HUB_SUB }]);
    expect(obs.transitHubs).toBeUndefined();
    expect(Object.keys(emu.calls.snapshot()).filter((op) => op.includes('virtualHubs'))).toEqual([]);
  });

  it("shows the hub's gateways as interconnects, a static route to a connection as that attachment, and a write in flight as pending", async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    const made = await adapter.apply(create(spoke), ctx());
    emu.state.wan.addStaticRoute(hub.id, 'spokes', {
      name: 'via-spoke',
      destinations: ['10.50.0.0/16'],
      nextHop: made.peeringId!,
    });
    const obs = await observe();
    const seen = obs.transitHubs!.find((h) => h.ref.id === hub.id)!;
    expect(seen.interconnects.map((i) => [i.kind, i.name])).toEqual([
      ['vpn', 'hub-vpn'],
      ['expressroute', 'hub-er'],
    ]);
    expect(seen.routeTables.find((t) => t.id === 'spokes')!.routes).toEqual([
      {
        destination: '10.50.0.0/16',
        target: { kind: 'attachment', attachmentId: made.peeringId },
        origin: 'static',
        state: 'active',
      },
    ]);
    expect(obs.attachments!.find((a) => a.id === made.peeringId)).toMatchObject({
      state: 'active',
      network: spoke,
      hub,
      association: 'defaultRouteTable',
      propagations: ['defaultRouteTable'],
      tags: { 'peerkeeper:managed': 'true' },
    });
    // A re-route whose operation has not finished: ARM says Updating, the model says pending.
    emu.state.lroPolls = 5;
    await adapter.client.request('PUT', `${made.peeringId}?api-version=2024-05-01`, Date.now() + 5_000, {
      properties: { remoteVirtualNetwork: { id: spoke.id } },
    });
    expect((await observe()).attachments!.find((a) => a.id === made.peeringId)?.state).toBe('pending');
  });

  it("leaves the hub subscription unread when a hub's connections cannot be listed, and still reads the VNets", async () => {
    const spoke = vnet(HUB_SUB, 'spoke', '10.1.0.0/16');
    emu.faults.serverError({
      operation: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/read',
      status: 503,
    });
    const obs = await observe();
    expect(obs.complete).toBe(false);
    expect(obs.unread).toEqual([expect.objectContaining({ cloud: 'azure', account: HUB_SUB })]);
    expect(obs.unread![0]!.reason).toMatch(/connections of hub hub/);
    expect(obs.networks.map((n) => n.ref.id)).toContain(spoke.id);
  });
});

describe('ranges of connected VNets outside the read', () => {
  const THIRD = '33333333-3333-4333-8333-333333333333';

  it('fetches each such VNet once, so the hub learns its range (a scoped read still guards overlaps)', async () => {
    const far = vnet(THIRD, 'far', '10.77.0.0/16');
    emu.state.wan.putConnection(hub.id, 'team-far', { remoteVnetId: far.id });
    const obs = await adapter.observe([{ cloud: 'azure', account: HUB_SUB }]);
    expect(obs.complete).toBe(true);
    const id = `${hub.id}/hubvirtualnetworkconnections/team-far`;
    const learned = obs.transitHubs![0]!.routeTables.find((t) => t.id === 'defaultRouteTable')!.routes;
    expect(learned).toEqual([
      {
        destination: '10.77.0.0/16',
        target: { kind: 'attachment', attachmentId: id },
        origin: 'propagated',
        state: 'active',
      },
    ]);
    expect(obs.attachments![0]!.network).toEqual(far);
    expect(emu.calls.count('Microsoft.Network/virtualNetworks/read')).toBe(2); // the hub subscription's list + far's GET
  });

  it('leaves the hub subscription unread when such a VNet cannot be read', async () => {
    const far = vnet(THIRD, 'far', '10.77.0.0/16');
    emu.state.wan.putConnection(hub.id, 'team-far', { remoteVnetId: far.id });
    emu.faults.serverError({
      operation: 'Microsoft.Network/virtualNetworks/read',
      pathIncludes: '/virtualNetworks/far',
    });
    const obs = await adapter.observe([{ cloud: 'azure', account: HUB_SUB }]);
    expect(obs.complete).toBe(false);
    expect(obs.unread).toEqual([
      expect.objectContaining({
        account: HUB_SUB,
        reason: expect.stringMatching(
          /ranges of \/subscriptions\/3{8}.*\/virtualNetworks\/far, connected to hub hub, unknown/i,
        ),
      }),
    ]);
  });
});

describe('apply', () => {
  it('names two same-named VNets of different groups apart, and keeps the prefix that marks them', async () => {
    const a = await adapter.apply(create(vnet(SPOKE_SUB, 'app', '10.1.0.0/16', 'Team-A')), ctx());
    const b = await adapter.apply(create(vnet(SPOKE_SUB, 'app', '10.2.0.0/16', 'Team-B')), ctx());
    expect(a.peeringId).toMatch(/\/hubvirtualnetworkconnections\/peerkeeper-app$/);
    expect(b.peeringId).toMatch(/\/hubvirtualnetworkconnections\/peerkeeper-app-[0-9a-f]{8}$/);
  });

  it('refuses a hub named by anything but its resource id (a hub the observation did not see)', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    await expect(adapter.apply(create(spoke, { ...hub, id: 'hub' }), ctx())).rejects.toThrow(
      expect.objectContaining({ name: 'TerminalError', code: 'UnknownHub' }),
    );
    expect(emu.calls.writes()).toBe(0);
  });

  it("refuses to create over someone else's connection of the VNet, naming it", async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    emu.state.wan.putConnection(hub.id, 'by-hand', { remoteVnetId: spoke.id });
    await expect(adapter.apply(create(spoke), ctx())).rejects.toThrow(
      expect.objectContaining({ name: 'TerminalError', message: expect.stringContaining('/by-hand') }),
    );
  });

  it('maps ARM refusing a VNet already on another hub to a TerminalError', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    emu.state.wan.putConnection(otherHub.id, 'elsewhere', { remoteVnetId: spoke.id });
    const error = await adapter.apply(create(spoke), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as TerminalError).code).toBe('VirtualNetworkAlreadyConnectedToHub');
  });

  it('retries 409 AnotherOperationInProgress and 429, then gives up with a RetryableError', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    emu.faults.throttle({ operation: WRITE, times: 1 });
    expect((await adapter.apply(create(spoke), ctx())).status).toBe('done');
    emu.state.lroPolls = 50;
    await adapter.client.request('PUT', `${hub.id}/hubRouteTables/spokes?api-version=2024-05-01`, Date.now() + 5_000, {
      properties: { routes: [], labels: [] },
    });
    const error = await adapter.apply(create(vnet(SPOKE_SUB, 'second', '10.2.0.0/16')), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).code).toBe('AnotherOperationInProgress');
    expect(emu.calls.count(WRITE)).toBe(2 + 4);
  });

  it('refuses to re-route a connection it does not own; skips one that is gone; a gone delete is converged', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    emu.state.wan.putConnection(hub.id, 'by-hand', { remoteVnetId: spoke.id });
    const id = `${hub.id}/hubvirtualnetworkconnections/by-hand`;
    const update: Action = {
      ...base,
      action: 'update-attachment',
      target: { id, hub, network: spoke },
      before: routing('defaultRouteTable'),
      after: routing('spokes'),
    };
    await expect(adapter.apply(update, ctx())).rejects.toBeInstanceOf(TerminalError);
    expect(emu.state.wan.hub(hub.id)!.connections.get('by-hand')!.associatedRouteTableId).toMatch(/defaultRouteTable$/);
    emu.state.wan.deleteConnection(hub.id, 'by-hand');
    expect((await adapter.apply(update, ctx())).status).toBe('skipped');
    const before = {
      id,
      cloud: 'azure' as const,
      hub,
      network: spoke,
      state: 'active' as const,
      propagations: [],
      tags: {},
    };
    expect(
      (
        await adapter.apply(
          { ...base, action: 'delete-attachment', target: { id, hub, network: spoke }, before },
          ctx(),
        )
      ).status,
    ).toBe('converged');
  });

  it('keeps labels it was not asked to change, and sets them when asked', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    const made = await adapter.apply(
      { ...create(spoke), after: { routing: { ...routing('defaultRouteTable'), labels: ['default'] }, tags: {} } },
      ctx(),
    );
    const target = { id: made.peeringId!, hub, network: spoke };
    const reroute = (after: AttachmentRouting, before = routing('defaultRouteTable')): Action => ({
      ...base,
      action: 'update-attachment',
      target,
      before,
      after,
    });
    expect((await adapter.apply(reroute(routing('spokes')), ctx())).status).toBe('done');
    expect((await observe()).attachments!.find((a) => a.id === target.id)).toMatchObject({
      association: 'spokes',
      labels: ['default'],
    });
    const labelled = { ...routing('spokes'), labels: ['blue'] };
    expect((await adapter.apply(reroute(labelled, routing('spokes')), ctx())).status).toBe('done');
    expect((await observe()).attachments!.find((a) => a.id === target.id)?.labels).toEqual(['blue']);
  });
});

describe('permissions and wiring', () => {
  it('makes only calls that AZURE_PERMISSIONS declares for the operation making them', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    const used = new Map<string, string[]>();
    const run = async (operation: string, work: () => Promise<unknown>) => {
      emu.calls.reset();
      await work();
      used.set(operation, Object.keys(emu.calls.snapshot()));
    };
    await run('observe', observe);
    await run('create-attachment', () => adapter.apply(create(spoke), ctx()));
    const id = (await observe()).attachments![0]!.id;
    const target = { id, hub, network: spoke };
    await run('update-attachment', () =>
      adapter.apply(
        {
          ...base,
          action: 'update-attachment',
          target,
          before: routing('defaultRouteTable'),
          after: routing('spokes'),
        },
        ctx(),
      ),
    );
    for (const action of ['accept-attachment', 'reject-attachment'] as const)
      await run(action, async () => {
        const outcome = await adapter.apply(
          action === 'accept-attachment'
            ? { ...base, action, target, after: { routing: routing('spokes') } }
            : { ...base, action, target },
          ctx(),
        );
        expect(outcome).toMatchObject({ status: 'skipped', detail: expect.stringContaining('no attachment requests') });
      });
    const before = (await observe()).attachments![0]!;
    await run('delete-attachment', () =>
      adapter.apply({ ...base, action: 'delete-attachment', target, before }, ctx()),
    );
    const declared = (op: string): readonly string[] =>
      op === 'observe'
        ? [...AZURE_PERMISSIONS.observe, ...AZURE_PERMISSIONS['observe-transit']]
        : (AZURE_PERMISSIONS[op as ActionKind & keyof typeof AZURE_PERMISSIONS] ?? []);
    const undeclared = [...used].flatMap(([op, calls]) =>
      calls.filter((c) => !declared(op).includes(c)).map((c) => `${op}: ${c}`),
    );
    expect(undeclared).toEqual([]);
    expect(used.get('create-attachment')).toContain(WRITE);
    expect(used.get('delete-attachment')).toContain(
      'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/delete',
    );
    expect(used.get('accept-attachment')).toEqual([]);
    // ARM's linked checks on a connection write (not calls the emulator sees): peer/action on the remote VNet.
    expect(AZURE_PERMISSIONS['create-attachment']).toContain('Microsoft.Network/virtualNetworks/peer/action');
  });

  it("governs and observes a declared hub's subscription", async () => {
    const policy = PolicySchema.parse({
      version: 1,
      providers: { azure: { subscriptions: [SPOKE_SUB] } },
      groups: {},
      transitHubs: {
        weu: {
          cloud: 'azure',
          account: HUB_SUB.toUpperCase(),
          region: LOCATION,
          id: 'hub',
          associate: 'defaultRouteTable',
        },
      },
    });
    const provider = createAzureProvider(policy, { PEERKEEPER_AZURE_ENDPOINT: emu.url });
    expect((await provider.partitions()).map((p) => p.account)).toEqual([HUB_SUB, SPOKE_SUB]);
    const obs = await provider.observe(await provider.partitions());
    expect(obs.transitHubs?.map((h) => h.ref.id)).toEqual([hub.id]);
  });
});
