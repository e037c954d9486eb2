import { startGcpEmulator } from '../../infra/local/gcp';
import { anonymous, ComputeClient, GcpPeeringAdapter } from '../../shared/providers/gcp';
import { providerContract } from './provider-contract';
import { runningClock } from '../support/clock';

const HUB = 'net-hub-prod';
const SPOKE = 'payments-prod';

providerContract('GCP adapter through the real Compute client against the Compute emulator', async () => {
  const clock = runningClock();
  const emu = await startGcpEmulator({ waitTimeoutMs: 200, now: clock.now });
  // Operations finish in 10 ms of wall clock so the suite spends its time on behaviour, not waiting.
  emu.state.timing.pendingMs = 2;
  emu.state.timing.runningMs = 8;
  for (const id of [HUB, SPOKE]) emu.state.createProject({ id });
  const client = new ComputeClient({
    endpoint: `${emu.url}/compute/v1`,
    resourceManagerEndpoint: `${emu.url}/v1`,
    auth: anonymous,
    retry: { attempts: 3, baseMs: 5, maxMs: 20 },
  });
  const provider = new GcpPeeringAdapter({ client, projects: [HUB, SPOKE] });
  return {
    now: clock.now,
    cloud: 'gcp',
    provider,
    accounts: [HUB, SPOKE],
    peeringRoutes: false,
    partitions: (accounts) => accounts.map((account) => ({ cloud: 'gcp' as const, account, region: 'global' })),
    seedNetwork: async ({ account, name, cidrs }) => {
      emu.state.createNetwork({ project: account, name });
      cidrs.forEach((cidr, i) =>
        emu.state.createSubnetwork({
          project: account,
          region: 'us-central1',
          network: name,
          name: `${name}-${i}`,
          ipCidrRange: cidr,
        }),
      );
      return { ref: { cloud: 'gcp', account, region: 'global', id: name } };
    },
    close: () => emu.close(),
  };
});
