import type { Cloud } from '../../shared/model';
import { MemoryCloud, MemoryProvider } from '../../shared/providers/memory';
import type { ContractHarness } from './provider-contract';
import { providerContract } from './provider-contract';
import { testClock } from '../support/clock';

const ACCOUNTS: Record<Cloud, [string, string]> = {
  aws: ['111111111111', '222222222222'],
  azure: ['0b1f6471-1bf0-4dda-aec3-111111111111', '0b1f6471-1bf0-4dda-aec3-222222222222'],
  gcp: ['net-hub-prod', 'payments-prod'],
};

function memoryHarness(cloud: Cloud): Promise<ContractHarness> {
  const clock = testClock();
  const memory = new MemoryCloud({ networks: [], peerings: [], accounts: [] }, clock.now);
  return Promise.resolve({
    now: clock.now,
    cloud,
    provider: new MemoryProvider(cloud, memory),
    accounts: ACCOUNTS[cloud],
    peeringRoutes: cloud === 'aws',
    partitions: (accounts) => accounts.map((account) => ({ cloud, account })),
    seedNetwork: async ({ account, name, cidrs }) => {
      const id =
        cloud === 'azure'
          ? `/subscriptions/${account}/resourcegroups/net/providers/microsoft.network/virtualnetworks/${name}`
          : cloud === 'aws'
            ? `vpc-${name}`
            : name;
      const ref = { cloud, account, region: cloud === 'gcp' ? 'global' : 'us-east-1', id };
      const routeTableId = `rtb-${name}`;
      memory.networks.set(`${cloud}:${account}:${ref.region}:${id}`, {
        ref,
        name,
        cidrs,
        tags: {},
        routeTables: [{ id: routeTableId, network: ref, main: true, tags: {}, routes: [] }],
      });
      return { ref, routeTableId };
    },
    close: async () => undefined,
  });
}

providerContract('in-memory aws', () => memoryHarness('aws'));
providerContract('in-memory azure', () => memoryHarness('azure'));
providerContract('in-memory gcp', () => memoryHarness('gcp'));
