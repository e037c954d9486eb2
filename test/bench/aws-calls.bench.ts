import { startAwsEmulator } from '../../infra/local/aws';
import { PolicySchema } from '../../shared/policy/schema';
import { AwsPeeringAdapter } from '../../shared/providers/aws';
import { reconcileScope } from '../../shared/reconcile';

const HUB = '111111111111';
const SPOKE = '222222222222';
const OTHER = '333333333333';

/**
 * EC2 and STS calls (counted by the emulator) for the AWS adapter: one network event (a new spoke VPC:
 * observe spoke + hub, create, accept, two routes), a converged account sweep (one work item of the
 * sweep-worker), and a converged estate sweep over three accounts.
 */
export async function benchAwsCalls(): Promise<object[]> {
  const emu = await startAwsEmulator({ hubAccount: HUB });
  const adapter = new AwsPeeringAdapter({
    roleName: 'peerkeeper-member',
    regions: ['us-east-1'],
    allowedAccounts: new Set([HUB, SPOKE, OTHER]),
    hubAccount: HUB,
    endpoint: emu.url,
    credentials: { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' },
    sdkMaxAttempts: 1,
  });
  try {
    for (const account of [SPOKE, OTHER]) emu.state.setRole(account, { roleName: 'peerkeeper-member' });
    const policy = PolicySchema.parse({
      version: 1,
      providers: { aws: { regions: ['us-east-1'], accounts: [HUB, SPOKE, OTHER] } },
      groups: {
        hub: { cloud: 'aws', account: HUB, tags: { role: 'hub' } },
        spokes: { cloud: 'aws', tags: { role: 'spoke' } },
      },
      connections: [{ name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes' }],
    });
    const deps = { policy, providers: { aws: adapter } };
    const hub = emu.state.createVpc({ account: HUB, region: 'us-east-1', cidr: '10.0.0.0/16', tags: { role: 'hub' } });
    emu.state.createVpc({ account: OTHER, region: 'us-east-1', cidr: '10.2.0.0/16', tags: { role: 'spoke' } });
    await reconcileScope({ kind: 'estate' }, deps); // the existing spoke is converged before measuring
    const spoke = emu.state.createVpc({
      account: SPOKE,
      region: 'us-east-1',
      cidr: '10.1.0.0/16',
      tags: { role: 'spoke' },
    });

    const measure = async (name: string, run: () => Promise<unknown>, note: string) => {
      emu.calls.reset();
      await run();
      return {
        name,
        reads: emu.calls.reads,
        writes: emu.calls.writes,
        total: emu.calls.total,
        calls: emu.calls.snapshot(),
        note,
      };
    };
    return [
      await measure(
        'aws-calls-network-event',
        () =>
          reconcileScope(
            { kind: 'network', network: { cloud: 'aws', account: SPOKE, region: 'us-east-1', id: spoke.vpcId } },
            deps,
          ),
        'CreateVpc of a new spoke: observe spoke + hub, create, accept, a route each side (credentials of a warm container cached)',
      ),
      await measure(
        'aws-calls-account-sweep',
        () => reconcileScope({ kind: 'account', cloud: 'aws', account: SPOKE, region: 'us-east-1' }, deps),
        'one sweep work item on a converged account: reads only',
      ),
      await measure(
        'aws-calls-route-change',
        async () => {
          // Someone points the hub's route to the converged spoke at a NAT gateway; the CloudTrail event names the table.
          const route = emu.state.table(hub.mainRouteTableId).routes.find((r) => r.destination === '10.2.0.0/16')!;
          Object.assign(route, { vpcPeeringConnectionId: undefined, natGatewayId: 'nat-0drift' });
          emu.calls.reset();
          await reconcileScope(
            {
              kind: 'route-table',
              cloud: 'aws',
              account: HUB,
              region: 'us-east-1',
              routeTableId: hub.mainRouteTableId,
            },
            deps,
          );
        },
        "ReplaceRoute by hand in the hub table: observe that table's own partition (no account a group only names), revert (target: ≤ 3 reads plus the fix)",
      ),
      {
        ...(await measure(
          'aws-calls-estate-sweep',
          () => reconcileScope({ kind: 'estate' }, deps),
          'converged estate of 3 accounts: reads only',
        )),
        partitions: 3,
      },
    ];
  } finally {
    adapter.close();
    await emu.close();
  }
}

if (process.argv[1] && /aws-calls\.bench\.ts$/.test(process.argv[1])) {
  benchAwsCalls().then(
    (rows) => {
      for (const row of rows) console.log(JSON.stringify(row));
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
