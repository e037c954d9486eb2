import {
  AssociateTransitGatewayRouteTableCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  DisableTransitGatewayRouteTablePropagationCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EnableTransitGatewayRouteTablePropagationCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { seedSubnets, seedTransitHub, seedVpcAttachment } from '../../infra/local/aws';
import { PolicySchema } from '../../shared/policy/schema';
import { AwsWorld } from './aws-harness';

// Issue 17 end to end: the real handlers attach governed spokes to a Transit Gateway, route them, keep it so, and put
// back a console user's change, over the EC2 emulator.
const HUB = '111111111111';
const SPOKE = '222222222222';
/** In no group and not governed: its attachment request is logged only in its own CloudTrail. */
const STRANGER = '444444444444';
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
let netops: EC2Client;
/** Someone's attachment of an untagged VPC, associated and propagating on the 'shared' table, with a static route. */
let unmanagedId: string;
/** A governed spoke VPC someone attached by hand (untagged) and associated with 'shared': not peerkeeper's either. */
let legacyId: string;
const state = () => world.emu.state;
const attachmentOf = (vpcId: string) =>
  [...state().transit.attachments.values()].find((a) => a.resourceId === vpcId && a.state !== 'deleted');
/** What peerkeeper must never touch: the unmanaged attachment and every static route of the hub's route tables. */
const unmanaged = () => {
  const view = (id: string) => {
    const a = state().transit.attachments.get(id)!;
    return { state: a.state, association: a.association, propagations: [...a.propagations], tags: [...a.tags] };
  };
  return {
    attachments: [unmanagedId, legacyId].map(view),
    staticRoutes: tables.map((t) =>
      state()
        .transit.routeTables.get(t)!
        .staticRoutes.map((r) => ({ ...r })),
    ),
  };
};
let baseline: ReturnType<typeof unmanaged>;

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
  // A network team's own attachment and hub routes, made before peerkeeper runs (no peerkeeper tags).
  const theirs = state().createVpc({ account: HUB, region: REGION, cidr: '10.40.0.0/16' });
  seedSubnets(state(), theirs.vpcId, 1);
  unmanagedId = seedVpcAttachment(state(), { transitGatewayId: tgw, vpcId: theirs.vpcId, state: 'available' }).id;
  const legacy = state().createVpc({
    account: SPOKE,
    region: REGION,
    cidr: '10.45.0.0/16',
    tags: { 'peerkeeper/role': 'spoke' },
  });
  seedSubnets(state(), legacy.vpcId, 1);
  legacyId = seedVpcAttachment(state(), { transitGatewayId: tgw, vpcId: legacy.vpcId, state: 'available' }).id;
  netops = await world.as(HUB, 'netops');
  await netops.send(
    new AssociateTransitGatewayRouteTableCommand({
      TransitGatewayRouteTableId: tables[1],
      TransitGatewayAttachmentId: legacyId,
    }),
  );
  await netops.send(
    new AssociateTransitGatewayRouteTableCommand({
      TransitGatewayRouteTableId: tables[1],
      TransitGatewayAttachmentId: unmanagedId,
    }),
  );
  await netops.send(
    new EnableTransitGatewayRouteTablePropagationCommand({
      TransitGatewayRouteTableId: tables[1],
      TransitGatewayAttachmentId: unmanagedId,
    }),
  );
  for (const [table, cidr] of [
    [tables[0], '10.99.0.0/16'],
    [tables[1], '10.98.0.0/16'],
  ] as const)
    await netops.send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: table,
        DestinationCidrBlock: cidr,
        TransitGatewayAttachmentId: unmanagedId,
      }),
    );
  await world.settle();
  baseline = unmanaged();
  expect(baseline.staticRoutes.flat()).toHaveLength(2);
  expect(baseline.attachments.map((a) => a.association)).toEqual([tables[1], tables[1]]);
});
// Every reconcile below leaves the unmanaged attachment and the hub's static routes exactly as their owner set them.
afterEach(() => {
  expect(unmanaged()).toEqual(baseline);
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
    const calls = await world.measure(async () => {
      await netops.send(
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
  it("puts back a propagation a console user turned off, from the hub owner's CloudTrail event", async () => {
    const target = attachmentOf(spokes[1]!.vpcId)!;
    const calls = await world.measure(async () => {
      await netops.send(
        new DisableTransitGatewayRouteTablePropagationCommand({
          TransitGatewayRouteTableId: tables[0],
          TransitGatewayAttachmentId: target.id,
        }),
      );
      await world.settle();
    });
    expect(calls.actions).toMatchObject({
      DisableTransitGatewayRouteTablePropagation: 1,
      EnableTransitGatewayRouteTablePropagation: 1,
    });
    expect(attachmentOf(spokes[1]!.vpcId)).toMatchObject({ association: tables[0], propagations: [tables[0]] });
  });

  it('rejects an attachment request from an account no group lists, found by the pending poll', async () => {
    const vpc = state().createVpc({ account: STRANGER, region: REGION, cidr: '10.50.0.0/16' });
    const subnets = seedSubnets(state(), vpc.vpcId, 1);
    const stranger = await world.as(STRANGER, 'admin');
    await stranger.send(
      new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: vpc.vpcId, SubnetIds: subnets }),
    );
    await world.settle();
    expect(attachmentOf(vpc.vpcId)?.state).toBe('pendingAcceptance'); // no event of the stranger's reached us
    const calls = await world.measure(() => world.poll());
    expect(calls.actions).toMatchObject({ RejectTransitGatewayVpcAttachment: 1 });
    expect(calls.actions).not.toHaveProperty('AcceptTransitGatewayVpcAttachment');
    expect(['rejecting', 'rejected']).toContain(attachmentOf(vpc.vpcId)?.state);
    expect(attachmentOf(vpc.vpcId)).toMatchObject({ propagations: [] });
    expect(attachmentOf(vpc.vpcId)?.association).toBeUndefined();
  });

  it('changes nothing when every event delivered so far is replayed (same ids: no calls; new ids: re-read, no writes)', async () => {
    const events = [...world.delivered];
    // The console's association, propagation and hub route calls, and the disassociation and propagation put back.
    expect(events.length).toBeGreaterThanOrEqual(6);
    const same = await world.measure(async () => {
      for (const e of events) await world.fns.networkEvent(e);
    });
    expect(same).toMatchObject({ reads: 0, writes: 0 });
    const fresh = await world.measure(async () => {
      for (const [i, e] of events.entries()) await world.fns.networkEvent({ ...(e as object), id: `replay-${i}` });
      await world.settle();
    });
    expect(fresh.writes).toBe(0);
    expect(Object.keys(fresh.actions).filter((a) => !/^(Describe|Get|Search)/.test(a))).toEqual([]);
    expect(fresh.reads).toBeGreaterThan(0); // the console users' events are reconciled again (peerkeeper's own are ignored)
    // Every event the emulator emitted, the stranger's (never delivered: outside the organization) included.
    const strangers = world.emu.events.filter((e) => e.account === STRANGER);
    expect(strangers.map((e) => e.detail.eventName)).toContain('CreateTransitGatewayVpcAttachment');
    const all = await world.measure(async () => {
      for (const [i, e] of world.emu.events.entries()) await world.fns.networkEvent({ ...e, id: `all-${i}` });
      await world.settle();
    });
    expect(all.writes).toBe(0);
  });
});
