import { startAwsEmulator } from '../../infra/local/aws';
import { PolicySchema } from '../../shared/policy/schema';
import { AwsPeeringAdapter } from '../../shared/providers/aws';
import { reconcileScope } from '../../shared/reconcile';
import type { Scope } from '../../shared/model';

const HUB = '111111111111';
const REGION = 'us-east-1';
const account = (base: number, i: number) => String(base + i).padStart(12, '0');

/** What one event cost: EC2 reads, writes and STS AssumeRole calls (the emulator counts AssumeRole as a read). */
interface EventCost {
  ec2Reads: number;
  writes: number;
  assumeRole: number;
}

/**
 * One organization: a hub (the account whose credentials we hold, known from the function's role, not the policy),
 * `named` spoke accounts and `named` partner accounts, all listed in the policy and governed; two of each hold a
 * VPC, the rest are empty. Spokes hub-spoke to the hub, partners pair with it. Returns each event's cost.
 */
async function costsWith(named: number): Promise<Record<string, EventCost>> {
  const emu = await startAwsEmulator({ hubAccount: HUB });
  const spokes = Array.from({ length: named }, (_, i) => account(200000000000, i));
  const partners = Array.from({ length: named }, (_, i) => account(300000000000, i));
  const adapter = new AwsPeeringAdapter({
    roleName: 'peerkeeper-member',
    regions: [REGION],
    allowedAccounts: new Set([HUB, ...spokes, ...partners]),
    homeAccount: HUB,
    endpoint: emu.url,
    credentials: { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' },
    sdkMaxAttempts: 1,
  });
  try {
    for (const a of [...spokes, ...partners]) emu.state.setRole(a, { roleName: 'peerkeeper-member' });
    const policy = PolicySchema.parse({
      version: 1,
      providers: { aws: { regions: [REGION], accounts: [HUB, ...spokes, ...partners] } },
      groups: {
        hub: { cloud: 'aws', account: HUB, tags: { role: 'hub' } },
        spokes: { cloud: 'aws', account: spokes, tags: { role: 'spoke' } },
        partners: { cloud: 'aws', account: partners },
      },
      connections: [
        { name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes' },
        { name: 'partner-link', topology: 'pair', between: ['partners', 'hub'] },
      ],
    });
    const deps = { policy, providers: { aws: adapter } };
    const hub = emu.state.createVpc({ account: HUB, region: REGION, cidr: '10.0.0.0/16', tags: { role: 'hub' } });
    const vpc = (owner: string, cidr: string, tags: Record<string, string>) => ({
      account: owner,
      vpcId: emu.state.createVpc({ account: owner, region: REGION, cidr, tags }).vpcId,
    });
    const vpcs = [
      vpc(spokes[0]!, '10.1.0.0/16', { role: 'spoke' }),
      vpc(spokes[1]!, '10.2.0.0/16', { role: 'spoke' }),
      vpc(partners[0]!, '10.3.0.0/16', {}),
      vpc(partners[1]!, '10.4.0.0/16', {}),
    ];
    const networkScope = (v: { account: string; vpcId: string }): Scope => ({
      kind: 'network',
      network: { cloud: 'aws', account: v.account, region: REGION, id: v.vpcId },
    });
    for (const v of vpcs.slice(0, 3)) await reconcileScope(networkScope(v), deps); // links in place before measuring
    const measure = async (run: () => Promise<unknown>): Promise<EventCost> => {
      emu.calls.reset();
      await run();
      const assumeRole = emu.calls.of('AssumeRole');
      return { ec2Reads: emu.calls.reads - assumeRole, writes: emu.calls.writes, assumeRole };
    };
    const hubTable = () => emu.state.table(hub.mainRouteTableId);
    return {
      'route-change': await measure(async () => {
        // Someone points the hub's route to a converged spoke at a NAT gateway; the CloudTrail event names the table.
        Object.assign(
          hubTable().routes.find((r) => r.destination === '10.1.0.0/16')!,
          { vpcPeeringConnectionId: undefined, natGatewayId: 'nat-0drift' },
        );
        emu.calls.reset();
        await reconcileScope(
          { kind: 'route-table', cloud: 'aws', account: HUB, region: REGION, routeTableId: hub.mainRouteTableId },
          deps,
        );
      }),
      'spoke-account-sweep-item': await measure(() =>
        reconcileScope({ kind: 'account', cloud: 'aws', account: spokes[1]!, region: REGION }, deps),
      ),
      'partner-network-event': await measure(() => reconcileScope(networkScope(vpcs[3]!), deps)),
    };
  } finally {
    adapter.close();
    await emu.close();
  }
}

/**
 * Per-event cost against the size of the organization (issue 13, item 3): the same events with 10 and with 1,000
 * named spoke accounts (and as many partner accounts). A scope reads its own partition and what its connections
 * involve (the hub), never the accounts a group names: the counts must not move, and a route change reads ≤ 5.
 */
export async function benchAwsScale(): Promise<object[]> {
  const small = await costsWith(10);
  const large = await costsWith(1000);
  return Object.keys(small).map((event) => {
    const a = small[event]!;
    const b = large[event]!;
    const same = a.ec2Reads === b.ec2Reads && a.assumeRole === b.assumeRole && a.writes === b.writes;
    const bounded = event !== 'route-change' || b.ec2Reads <= 5;
    return {
      name: `aws-scale-${event}`,
      readsAt10: a.ec2Reads,
      assumeRoleAt10: a.assumeRole,
      writesAt10: a.writes,
      readsAt1000: b.ec2Reads,
      assumeRoleAt1000: b.assumeRole,
      writesAt1000: b.writes,
      target: `same reads, AssumeRole and writes at 10 and 1,000 named accounts${event === 'route-change' ? '; ≤ 5 reads' : ''}`,
      pass: same && bounded,
    };
  });
}

if (process.argv[1] && /aws-scale\.bench\.ts$/.test(process.argv[1])) {
  benchAwsScale().then(
    (rows) => {
      for (const row of rows) console.log(JSON.stringify(row));
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
