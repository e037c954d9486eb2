import type { AzureEmulator } from '../../../infra/local/azure';
import type { TransitHubRef } from '../../../shared/model';
import { PolicySchema } from '../../../shared/policy/schema';
import { AzurePeeringAdapter, createAzureProvider } from '../../../shared/providers/azure';
import { HUB_SUB, LOCATION, SPOKE_SUB, transitWorld } from './transit-world';

// The Azure adapter's Virtual WAN observe against the ARM emulator: what it reads, how it maps ARM's answers.

let emu: AzureEmulator;
let adapter: AzurePeeringAdapter;
let hub: TransitHubRef;
const world = transitWorld();
const { ctx, observe, vnet, create } = world;
beforeEach(() => ({ emu, adapter, hub } = world));

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

describe('wiring', () => {
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
