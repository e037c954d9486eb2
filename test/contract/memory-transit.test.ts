import type { Cloud, TransitHubRef } from '../../shared/model';
import { MemoryCloud, MemoryProvider } from '../../shared/providers/memory';
import { refreshHubRoutes } from '../../shared/providers/memory/attachments';
import { testClock } from '../support/clock';
import type { TransitHarness } from './transit-contract';
import { transitContract } from './transit-contract';

const ACCOUNTS: Record<Cloud, [string, string]> = {
  aws: ['111111111111', '222222222222'],
  azure: ['0b1f6471-1bf0-4dda-aec3-111111111111', '0b1f6471-1bf0-4dda-aec3-222222222222'],
  gcp: ['net-hub-prod', 'payments-prod'],
};
const HUB_IDS: Record<Cloud, string> = {
  aws: 'tgw-0contract',
  azure:
    '/subscriptions/0b1f6471-1bf0-4dda-aec3-111111111111/resourceGroups/wan/providers/Microsoft.Network/virtualHubs/hub',
  gcp: 'projects/net-hub-prod/locations/global/hubs/hub',
};
const TABLES: Record<Cloud, [string, string]> = {
  aws: ['tgw-rtb-0spokes', 'tgw-rtb-0shared'],
  azure: ['defaultRouteTable', 'spokes'],
  gcp: ['default', 'center'],
};

function memoryTransitHarness(cloud: Cloud): Promise<TransitHarness> {
  const clock = testClock();
  const memory = new MemoryCloud({ networks: [], peerings: [], accounts: [] }, clock.now);
  const region = cloud === 'gcp' ? 'global' : 'us-east-1';
  const [hubAccount, spokeAccount] = ACCOUNTS[cloud];
  const attachment = (hub: TransitHubRef, id: string) => {
    const a = memory.attachments.get(`${cloud}:${id}`);
    if (!a || a.hub.id !== hub.id) throw new Error(`no attachment ${id}`);
    return a;
  };
  return Promise.resolve({
    cloud,
    provider: new MemoryProvider(cloud, memory),
    hubAccount,
    spokeAccount,
    acceptsRequests: cloud !== 'azure',
    spokeRoutes: cloud === 'aws',
    routingUpdatable: cloud === 'gcp' ? 'association' : 'association-and-propagation',
    now: clock.now,
    partitions: (accounts) => accounts.map((account) => ({ cloud, account })),
    seedHub: async () => {
      const ref = { cloud, account: hubAccount, region, id: HUB_IDS[cloud] };
      const routeTables = TABLES[cloud];
      memory.hubs.set(`${cloud}:${ref.id}`, {
        ref,
        tags: {},
        interconnects: [],
        routeTables: routeTables.map((id) => ({ id, tags: {}, routes: [] })),
      });
      return { ref, routeTables };
    },
    seedNetwork: async ({ account, name, cidrs }) => {
      const id = cloud === 'aws' ? `vpc-${name}` : cloud === 'azure' ? `/subscriptions/${account}/vnets/${name}` : name;
      const ref = { cloud, account, region, id };
      const routeTableId = `rtb-${name}`;
      memory.networks.set(`${cloud}:${account}:${region}:${id}`, {
        ref,
        name,
        cidrs,
        tags: {},
        routeTables: [{ id: routeTableId, network: ref, main: true, tags: {}, routes: [] }],
      });
      return { ref, routeTableId };
    },
    seedForeignAttachment: async ({ hub, network, state }) => {
      const id = memory.nextId('foreign-');
      const active = state === 'active' || cloud === 'azure';
      memory.attachments.set(`${cloud}:${id}`, {
        id,
        cloud,
        hub,
        network,
        state: active ? 'active' : 'requested',
        propagations: [],
        tags: {},
      });
      refreshHubRoutes(memory);
      return id;
    },
    setRoutingOutOfBand: async (hub, id, routing) => {
      const a = attachment(hub, id);
      if (routing.association) a.association = routing.association;
      else delete a.association;
      a.propagations = routing.propagations;
      refreshHubRoutes(memory);
    },
    addStaticHubRoute: async (hub, tableId, destination) => {
      const table = memory.hubs.get(`${cloud}:${hub.id}`)?.routeTables.find((t) => t.id === tableId);
      table?.routes.push({ destination, target: { kind: 'other', id: 'vpn-0static' }, origin: 'static' });
    },
    close: async () => undefined,
  });
}

transitContract('in-memory aws', () => memoryTransitHarness('aws'));
transitContract('in-memory azure', () => memoryTransitHarness('azure'));
transitContract('in-memory gcp', () => memoryTransitHarness('gcp'));
