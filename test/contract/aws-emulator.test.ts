import { startAwsEmulator } from '../../infra/local/aws';
import { AwsPeeringAdapter } from '../../shared/providers/aws';
import { providerContract } from './provider-contract';
import { runningClock } from '../support/clock';

const HUB = '111111111111';
const SPOKE = '222222222222';

providerContract('AWS adapter through the real SDK against the EC2 emulator', async () => {
  const clock = runningClock();
  const emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
  emu.state.setRole(SPOKE, { roleName: 'peerkeeper-member', externalId: 'contract' });
  const provider = new AwsPeeringAdapter({
    roleName: 'peerkeeper-member',
    externalId: 'contract',
    regions: ['us-east-1'],
    allowedAccounts: new Set([HUB, SPOKE]),
    hubAccount: HUB,
    endpoint: emu.url,
    credentials: { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' },
    sdkMaxAttempts: 1,
  });
  return {
    now: clock.now,
    cloud: 'aws',
    provider,
    accounts: [HUB, SPOKE],
    peeringRoutes: true,
    partitions: (accounts) => accounts.map((account) => ({ cloud: 'aws' as const, account, region: 'us-east-1' })),
    seedNetwork: async ({ account, name, cidrs }) => {
      const [cidr, ...secondaryCidrs] = cidrs;
      const vpc = emu.state.createVpc({
        account,
        region: 'us-east-1',
        cidr: cidr!,
        secondaryCidrs,
        tags: { Name: name },
      });
      return { ref: { cloud: 'aws', account, region: 'us-east-1', id: vpc.vpcId }, routeTableId: vpc.mainRouteTableId };
    },
    close: async () => {
      provider.close();
      await emu.close();
    },
  };
});
