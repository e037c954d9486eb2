import { CreateTransitGatewayVpcAttachmentCommand } from '@aws-sdk/client-ec2';
import { seedSubnets, seedTransitHub } from '../../infra/local/aws';
import { PolicySchema } from '../../shared/policy/schema';
import { AwsWorld } from '../e2e/aws-harness';
import type { Json } from '../e2e/gcp-harness';
import { azureRows, gcpRows } from './transit-calls-clouds';
import { rows, type Measured, type Row } from './transit-calls-support';

/**
 * Transit (issue 17): emulator calls for one attachment event handled end to end by the real handlers, per cloud, and
 * for the same event replayed under a fresh id once the estate has converged (0 writes). Azure and GCP are in
 * transit-calls-clouds.ts.
 */
/** AWS: a spoke account's admin attaches a governed VPC to the hub's TGW; the CloudTrail event reaches network-event. */
async function awsRows(): Promise<Row[]> {
  const [HUB, SPOKE, REGION] = ['111111111111', '222222222222', 'us-east-1'];
  const policy = PolicySchema.parse({
    version: 1,
    mode: 'enforce',
    identities: [`arn:aws:iam::${HUB}:user/peerkeeper-local`],
    providers: { aws: { roleName: 'peerkeeper-member', regions: [REGION], hubAccount: HUB, accounts: [HUB, SPOKE] } },
    groups: { spokes: { cloud: 'aws', account: [HUB, SPOKE], tags: { 'peerkeeper/role': 'spoke' } } },
    transitHubs: { core: { cloud: 'aws', account: HUB, region: REGION, id: 'tgw-0', associate: 'tgw-rtb-0' } },
    connections: [
      { name: 'spokes', topology: 'hub-spoke', hub: 'core', spokes: 'spokes', via: 'transit', approval: 'auto' },
    ],
    unmatchedRequests: 'reject',
  });
  const world = await AwsWorld.start(policy);
  try {
    const state = world.emu.state;
    const hub = seedTransitHub(state, { account: HUB, region: REGION, routeTables: ['spokes'] });
    Object.assign(policy.transitHubs.core!, { id: hub.transitGatewayId, associate: hub.routeTableIds[0]! });
    const vpc = (account: string, cidr: string) => {
      const v = state.createVpc({ account, region: REGION, cidr, tags: { 'peerkeeper/role': 'spoke' } });
      return { ...v, subnets: seedSubnets(state, v.vpcId, 2) };
    };
    vpc(HUB, '10.10.0.0/16');
    for (let i = 0; i < 2; i++) for (const m of await world.sweepFanOut()) await world.workOne(m);
    await world.settle();
    const spoke = vpc(SPOKE, '10.20.0.0/16');
    const admin = await world.as(SPOKE, 'netops');
    // The admin's call is made with the bus paused: only what peerkeeper does with its event is measured.
    world.bus.pause();
    await admin.send(
      new CreateTransitGatewayVpcAttachmentCommand({
        TransitGatewayId: hub.transitGatewayId,
        VpcId: spoke.vpcId,
        SubnetIds: spoke.subnets,
      }),
    );
    const measure = async (run: () => Promise<unknown>): Promise<Measured> => {
      const m = await world.measure(run);
      return { reads: m.reads, writes: m.writes, calls: m.actions };
    };
    const event = await measure(async () => {
      await world.bus.resume();
      await world.settle();
    });
    const created = world.delivered.find(
      (e) =>
        (e as Json).detail?.eventName === 'CreateTransitGatewayVpcAttachment' &&
        /netops/.test(String((e as Json).detail?.userIdentity?.arn)),
    ) as Json;
    // The sweep converges what waited for `available` (the new spoke's own routes toward the TGW).
    const converge = await measure(async () => {
      for (const m of await world.sweepFanOut()) await world.workOne(m);
    });
    const replay = await measure(async () => {
      await world.fns.networkEvent({ ...created, id: `${String(created.id)}-replay` });
      await world.settle();
    });
    admin.destroy();
    return rows(
      'aws',
      event,
      { ...replay, convergeWrites: converge.writes },
      "CreateTransitGatewayVpcAttachment by a spoke account's admin (CloudTrail → network-event): accept, tag, associate, propagate; the spokes' routes toward the TGW wait for `available` (written by the next sweep: convergeWrites)",
    );
  } finally {
    await world.close();
  }
}

export async function benchTransitCalls(): Promise<Row[]> {
  return [...(await awsRows()), ...(await azureRows()), ...(await gcpRows())];
}

if (process.argv[1] && /transit-calls\.bench\.ts$/.test(process.argv[1])) {
  benchTransitCalls().then(
    (out) => {
      for (const row of out) console.log(JSON.stringify(row));
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
