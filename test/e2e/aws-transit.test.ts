import { DisassociateTransitGatewayRouteTableCommand } from '@aws-sdk/client-ec2';
import { seedSubnets, seedTransitHub } from '../../infra/local/aws';
import { PolicySchema } from '../../shared/policy/schema';
import { AwsWorld } from './aws-harness';

// Issue 17 end to end: the real handlers attach governed spokes to a Transit Gateway, route them, keep it so, and put
// back a console user's change, over the EC2 emulator.
const HUB = '111111111111';
const SPOKE = '222222222222';
const REGION = 'us-east-1';
const OWN_IDENTITY = `arn:aws:iam::${HUB}:user/peerkeeper-local`;

const policy = PolicySchema.parse({
  version: 1,
  mode: 'enforce',
  identities: [OWN_IDENTITY],
  providers: { aws: { roleName: 'peerkeeper-member', regions: [REGION], hubAccount: HUB, accounts: [HUB, SPOKE] } },
  groups: { spokes: { cloud: 'aws', account: [HUB, SPOKE], tags: { 'peerkeeper/role': 'spoke' } } },
  // The TGW's ids are the emulator's: filled in once it is seeded (the handlers read this same policy object).
  transitHubs: {
    core: { cloud: 'aws', account: HUB, region: REGION, id: 'tgw-placeholder', associate: 'tgw-rtb-placeholder' },
  },
  connections: [
    {
      name: 'spokes-to-core',
      topology: 'hub-spoke',
      hub: 'core',
      spokes: 'spokes',
      via: 'transit',
      approval: 'auto',
      routes: { tables: 'all' },
    },
  ],
  unmatchedRequests: 'reject',
});

let world: AwsWorld;
let tgw: string;
let tables: string[];
let spokes: { account: string; vpcId: string; mainRouteTableId: string; cidr: string }[];
const state = () => world.emu.state;
const attachmentOf = (vpcId: string) =>
  [...state().transit.attachments.values()].find((a) => a.resourceId === vpcId && a.state !== 'deleted');

beforeAll(async () => {
  world = await AwsWorld.start(policy);
  ({ transitGatewayId: tgw, routeTableIds: tables } = seedTransitHub(state(), {
    account: HUB,
    region: REGION,
    routeTables: ['spokes', 'shared'],
  }));
  Object.assign(policy.transitHubs.core!, { id: tgw, associate: tables[0]! });
  spokes = [
    { account: SPOKE, cidr: '10.20.0.0/16' },
    { account: HUB, cidr: '10.30.0.0/16' },
  ].map(({ account, cidr }) => {
    const vpc = state().createVpc({ account, region: REGION, cidr, tags: { 'peerkeeper/role': 'spoke' } });
    seedSubnets(state(), vpc.vpcId, 2);
    return { account, cidr, ...vpc };
  });
});
afterAll(async () => {
  await world?.close();
});

describe('AWS Transit Gateway end to end over the EC2 emulator with the real handlers', () => {
  it('attaches both spokes (accepting the cross-account one), associates and propagates them, and routes each toward the TGW', async () => {
    await world.fns.sweep();
    await world.settle();
    // Spoke routes toward the TGW are planned once the attachments are observed active: the next sweep writes them.
    await world.fns.sweep();
    await world.settle();
    for (const s of spokes) {
      const a = attachmentOf(s.vpcId);
      expect({ vpc: s.vpcId, state: a?.state, association: a?.association, propagations: a?.propagations }).toEqual({
        vpc: s.vpcId,
        state: 'available',
        association: tables[0],
        propagations: [tables[0]],
      });
      expect(a?.tags.get(s.account)?.['peerkeeper:managed']).toBe('true');
    }
    const [a, b] = spokes as [(typeof spokes)[0], (typeof spokes)[0]];
    const toward = (from: typeof a, to: typeof a) =>
      state()
        .table(from.mainRouteTableId)
        .routes.find((r) => r.destination === to.cidr);
    expect(toward(a, b)?.transitGatewayId).toBe(tgw);
    expect(toward(b, a)?.transitGatewayId).toBe(tgw);
  });

  it('makes no writes on a sweep of a converged estate', async () => {
    const calls = await world.measure(async () => {
      await world.fns.sweep();
      await world.settle();
    });
    expect({ writes: calls.writes, actions: calls.actions }).toMatchObject({ writes: 0 });
  });

  it("puts back an association a console user removed, from the hub owner's CloudTrail event", async () => {
    const target = attachmentOf(spokes[0]!.vpcId)!;
    const console = await world.as(HUB, 'netops');
    const calls = await world.measure(async () => {
      await console.send(
        new DisassociateTransitGatewayRouteTableCommand({
          TransitGatewayRouteTableId: tables[0],
          TransitGatewayAttachmentId: target.id,
        }),
      );
      await world.settle();
    });
    expect(calls.actions).toMatchObject({
      DisassociateTransitGatewayRouteTable: 1,
      AssociateTransitGatewayRouteTable: 1,
    });
    expect(attachmentOf(spokes[0]!.vpcId)?.association).toBe(tables[0]);
  });
});
