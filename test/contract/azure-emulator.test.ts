import { startAzureEmulator } from '../../infra/local/azure';
import { AzurePeeringAdapter } from '../../shared/providers/azure';
import { providerContract } from './provider-contract';
import { runningClock } from '../support/clock';

const HUB_SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const SPOKE_SUB = '0b1f6471-1bf0-4dda-aec3-222222222222';

// Azure UDRs cannot target a peering (peered ranges are system routes), so the route case does not apply.
providerContract('Azure adapter over core-rest-pipeline against the ARM emulator', async () => {
  const clock = runningClock();
  const emu = await startAzureEmulator({ now: clock.now });
  emu.state.lroPolls = 0;
  for (const sub of [HUB_SUB, SPOKE_SUB]) emu.state.createSubscription(sub, { displayName: `sub-${sub.slice(-4)}` });
  const provider = new AzurePeeringAdapter({
    subscriptions: [HUB_SUB, SPOKE_SUB],
    endpoint: emu.url,
    client: { sleep: async () => undefined },
  });
  return {
    now: clock.now,
    cloud: 'azure',
    provider,
    accounts: [HUB_SUB, SPOKE_SUB],
    peeringRoutes: false,
    partitions: (accounts) => accounts.map((account) => ({ cloud: 'azure' as const, account })),
    seedNetwork: async ({ account, name, cidrs }) => {
      const { record } = emu.state.createVnet({
        subscription: account,
        resourceGroup: 'net',
        name,
        location: 'westeurope',
        addressPrefixes: cidrs,
      });
      return { ref: { cloud: 'azure', account, region: 'westeurope', id: record.id.toLowerCase() } };
    },
    close: () => emu.close(),
  };
});
