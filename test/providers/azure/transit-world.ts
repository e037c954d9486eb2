import { type AzureEmulator, startAzureEmulator } from '../../../infra/local/azure';
import type { ActionOf, AttachmentRouting, NetworkRef, Observation, TransitHubRef } from '../../../shared/model';
import { AzurePeeringAdapter } from '../../../shared/providers/azure';
import type { ApplyContext } from '../../../shared/providers/port';
import { runningClock } from '../../support/clock';

/** The Azure adapter's Virtual WAN half against the ARM emulator: two governed subscriptions, a hub in each. */
export const HUB_SUB = '11111111-1111-4111-8111-111111111111';
export const SPOKE_SUB = '22222222-2222-4222-8222-222222222222';
export const LOCATION = 'westeurope';
export const CONNECTION_WRITE = 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write';
export const base = { cloud: 'azure' as const, reason: 'test' };
const NET = (sub: string, rg = 'Net') => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network`;

export const routing = (table: string): AttachmentRouting => ({ association: table, propagations: [table] });

export interface TransitWorld {
  emu: AzureEmulator;
  adapter: AzurePeeringAdapter;
  /** In HUB_SUB, with a VPN and an ExpressRoute gateway and a `spokes` route table. */
  hub: TransitHubRef;
  /** In SPOKE_SUB. */
  otherHub: TransitHubRef;
  ctx(): ApplyContext;
  observe(): Promise<Observation>;
  vnet(sub: string, name: string, cidr: string, rg?: string): NetworkRef;
  create(network: NetworkRef, on?: TransitHubRef): ActionOf<'create-attachment'>;
}

/** Registers the emulator's lifecycle (fresh hubs, VNets and faults before each test) and answers the world. */
export function transitWorld(): TransitWorld {
  const clock = runningClock();
  const world = {} as TransitWorld;
  world.ctx = () => ({ now: clock.now(), resolvePeeringId: () => undefined, deadline: Date.now() + 30_000 });
  world.observe = () =>
    world.adapter.observe([
      { cloud: 'azure', account: HUB_SUB },
      { cloud: 'azure', account: SPOKE_SUB },
    ]);
  world.vnet = (sub, name, cidr, rg = 'Net') => {
    const { record } = world.emu.state.createVnet({
      subscription: sub,
      resourceGroup: rg,
      name,
      location: LOCATION,
      addressPrefixes: [cidr],
    });
    return { cloud: 'azure', account: sub, region: LOCATION, id: record.id.toLowerCase() };
  };
  world.create = (network, on) => ({
    ...base,
    action: 'create-attachment',
    target: { hub: on ?? world.hub, network },
    after: { routing: routing('defaultRouteTable'), tags: {} },
  });

  const seedHub = (
    sub: string,
    name: string,
    extra: { vpnGatewayId?: string; expressRouteGatewayId?: string } = {},
  ) => {
    const wan = world.emu.state.wan.createVirtualWan({
      subscription: sub,
      resourceGroup: 'Wan',
      name: 'wan',
      location: LOCATION,
    });
    const record = world.emu.state.wan.createVirtualHub({
      subscription: sub,
      resourceGroup: 'Wan',
      name,
      location: LOCATION,
      virtualWanId: wan.id,
      addressPrefix: '10.100.0.0/23',
      ...extra,
    });
    world.emu.state.wan.putRouteTable(record.id, 'spokes', { routes: [], labels: [] });
    return { cloud: 'azure' as const, account: sub, region: LOCATION, id: record.id.toLowerCase() };
  };

  beforeAll(async () => {
    world.emu = await startAzureEmulator({ now: clock.now });
  });
  afterAll(() => world.emu.close());
  beforeEach(() => {
    const { emu } = world;
    emu.faults.clear();
    emu.state.lroPolls = 0;
    emu.state.vnets.clear();
    emu.state.wan.hubs.clear();
    emu.state.operations.clear();
    for (const sub of [HUB_SUB, SPOKE_SUB]) emu.state.createSubscription(sub);
    world.adapter = new AzurePeeringAdapter({
      subscriptions: [HUB_SUB, SPOKE_SUB],
      transitSubscriptions: [HUB_SUB],
      endpoint: emu.url,
      client: { sleep: async () => undefined, random: () => 0 },
    });
    world.hub = seedHub(HUB_SUB, 'hub', {
      vpnGatewayId: `${NET(HUB_SUB, 'Wan')}/vpnGateways/hub-vpn`,
      expressRouteGatewayId: `${NET(HUB_SUB, 'Wan')}/expressRouteGateways/hub-er`,
    });
    world.otherHub = seedHub(SPOKE_SUB, 'other-hub');
    emu.calls.reset();
  });
  return world;
}
