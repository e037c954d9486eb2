import {
  CreateRouteCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteRouteCommand,
  DeleteVpcPeeringConnectionCommand,
  ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import { controlTowerVended } from '../../infra/local/actors';
import type { RouteRecord } from '../../infra/local/aws/state/types';
import { PolicySchema } from '../../shared/policy/schema';
import { AwsWorld } from './aws-harness';

const HUB = '111111111111';
const SPOKE = '222222222222'; // vended during the test
const PARTNER = '999999999999'; // outside the organization, listed in the policy
const STRANGER = '666666666666'; // outside the organization, not listed
const REGION = 'us-east-1';
const CIDR = {
  hub: '10.0.0.0/16',
  hub6: '2600:1f18:4000:100::/56',
  spoke: '10.1.0.0/16',
  spoke6: '2600:1f18:4000:200::/56',
  partner: '10.99.0.0/16',
  stranger: '10.66.0.0/16',
  overlap: '10.1.128.0/20', // inside the spoke's range, which the hub's tables already route to the spoke
} as const;
const IGW = 'igw-0f1e2d3c4b5a69788';
const NAT = 'nat-08d3a7b2c1e4f5a6b';
const OWN_IDENTITY = `arn:aws:iam::${HUB}:user/peerkeeper-local`;

const policy = PolicySchema.parse({
  version: 1,
  mode: 'enforce',
  identities: [OWN_IDENTITY],
  providers: { aws: { roleName: 'peerkeeper-member', regions: [REGION], hubAccount: HUB, accounts: [HUB, SPOKE] } },
  groups: {
    hub: { cloud: 'aws', account: HUB, region: REGION, tags: { 'peerkeeper/role': 'hub' } },
    spokes: { cloud: 'aws', account: [SPOKE], tags: { 'peerkeeper/role': 'spoke' } },
    partners: { cloud: 'aws', account: [PARTNER] },
  },
  connections: [
    {
      name: 'spokes-to-hub',
      topology: 'hub-spoke',
      hub: 'hub',
      spokes: 'spokes',
      approval: 'auto',
      routes: { tables: 'all' },
    },
    {
      name: 'partner-link',
      topology: 'pair',
      between: ['partners', 'hub'],
      approval: 'auto',
      routes: { tables: 'all' },
    },
  ],
  unmatchedRequests: 'reject',
  drift: { routes: 'revert', peerings: 'revert', unknownPeerings: 'report' },
});

let world: AwsWorld;
const state = () => world.emu.state;
const routes = (table: string): RouteRecord[] => state().table(table).routes;
const route = (table: string, destination: string) => routes(table).find((r) => r.destination === destination);
/** The live (not deleted, rejected, failed or expired) peering between two VPCs, either direction. */
const livePeering = (a: string, b: string) =>
  [...state().peerings.values()].find(
    (p) =>
      ((p.requester.vpcId === a && p.accepter.vpcId === b) || (p.requester.vpcId === b && p.accepter.vpcId === a)) &&
      !['deleted', 'deleting', 'rejected', 'failed', 'expired'].includes(p.status),
  );
/** A person's peering request from another account's VPC to the hub (logged in THEIR CloudTrail, not ours). */
const requestFrom = async (account: string, vpcId: string) => {
  const ec2 = await world.as(account, 'netops');
  const out = await ec2.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: vpcId, PeerVpcId: hub.vpcId, PeerOwnerId: HUB, PeerRegion: REGION }),
  );
  return out.VpcPeeringConnection!.VpcPeeringConnectionId!;
};
const audited = async (subject: string) => (await world.audit.list()).filter((e) => e.subject.includes(subject));

let hub: { vpcId: string; mainRouteTableId: string };
let hubPrivate: string;
let spoke: { vpcId: string; mainRouteTableId: string };
let spokePrivate: string;
let spokePeering: string;
/** The unmanaged routes as seeded, to compare with at the end. */
let unmanagedBefore: Record<string, RouteRecord[]>;
const unmanaged = () =>
  Object.fromEntries(
    [hub.mainRouteTableId, hubPrivate, spoke.mainRouteTableId, spokePrivate].map((t) => [
      t,
      routes(t)
        .filter((r) => !r.vpcPeeringConnectionId)
        .map((r) => ({ ...r })),
    ]),
  );
const bench: Record<string, unknown> = {};

beforeAll(async () => {
  world = await AwsWorld.start(policy);
  // The hub existed before the story (no events): two tables, an internet route and a NAT route nobody lets peerkeeper touch.
  hub = state().createVpc({
    account: HUB,
    region: REGION,
    cidr: CIDR.hub,
    ipv6Cidr: CIDR.hub6,
    tags: { Name: 'hub', 'peerkeeper/role': 'hub' },
  });
  hubPrivate = state().createRouteTable({ vpcId: hub.vpcId, tags: { Name: 'hub-private' } });
  state().addRoute({ routeTableId: hub.mainRouteTableId, destination: '0.0.0.0/0', target: { gatewayId: IGW } });
  state().addRoute({ routeTableId: hub.mainRouteTableId, destination: '::/0', target: { gatewayId: IGW } });
  state().addRoute({ routeTableId: hubPrivate, destination: '0.0.0.0/0', target: { natGatewayId: NAT } });
  // A real hub's tables also route to a transit gateway (issue 14).
  const tgw = state().createGateway({ kind: 'transit', account: HUB, region: REGION }).id;
  state().addRoute({ routeTableId: hubPrivate, destination: '172.16.0.0/12', target: { transitGatewayId: tgw } });
  // …and most carry an S3 gateway endpoint: a prefix-list destination (pl-…) through vpce-… in both tables.
  state().createGateway({
    kind: 'endpoint',
    account: HUB,
    region: REGION,
    vpcId: hub.vpcId,
    service: 's3',
    routeTableIds: [hub.mainRouteTableId, hubPrivate],
  });
});
afterAll(async () => {
  if (Object.keys(bench).length > 0)
    console.log(`AWS emulator calls (reads/writes):\n${JSON.stringify(bench, null, 2)}`);
  await world?.close();
});

describe('AWS end to end over the EC2 emulator with the real handlers', () => {
  it("peers a vended account's spoke VPC (IPv4 + IPv6) to the hub, with v4 and v6 routes in every table on both sides", async () => {
    // The vending baseline creates the VPC (the emulator has no CreateVpc), then Control Tower reports the account.
    spoke = state().createVpc({
      account: SPOKE,
      region: REGION,
      cidr: CIDR.spoke,
      ipv6Cidr: CIDR.spoke6,
      tags: { Name: 'payments', 'peerkeeper/role': 'spoke' },
    });
    spokePrivate = state().createRouteTable({ vpcId: spoke.vpcId, tags: { Name: 'payments-private' } });
    state().addRoute({
      routeTableId: spokePrivate,
      destination: '0.0.0.0/0',
      target: { natGatewayId: 'nat-0aa11bb22cc33dd44' },
    });
    unmanagedBefore = unmanaged();
    world.bus.publish('aws', controlTowerVended(HUB, SPOKE, 'payments', world.now()));
    await world.settle();
    // One reconcile of the vending event does it all: create, accept in the spoke's account, 8 routes (2 tables × v4/v6 × 2 sides).
    expect(world.results[0]).toMatchObject({ status: 'reconciled', writes: 10, failed: 0 });

    const peering = livePeering(hub.vpcId, spoke.vpcId);
    expect(peering?.status).toBe('active');
    // Tags are visible only in the requester's account: peerkeeper marks what it creates there.
    expect(peering!.tags.get(peering!.requester.account)).toMatchObject({
      'peerkeeper:managed': 'true',
      'peerkeeper:connection': 'spokes-to-hub',
    });
    spokePeering = peering!.id;
    for (const table of [hub.mainRouteTableId, hubPrivate]) {
      for (const cidr of [CIDR.spoke, CIDR.spoke6])
        expect({ table, cidr, ...route(table, cidr) }).toMatchObject({ vpcPeeringConnectionId: spokePeering });
    }
    for (const table of [spoke.mainRouteTableId, spokePrivate]) {
      for (const cidr of [CIDR.hub, CIDR.hub6])
        expect({ table, cidr, ...route(table, cidr) }).toMatchObject({ vpcPeeringConnectionId: spokePeering });
    }
    expect(state().routeState(route(hubPrivate, CIDR.spoke6)!)).toBe('active');
  });

  it("auto-accepts a request from a listed partner (found by the pending poll) and routes the hub's tables to it", async () => {
    const partnerVpc = state().createVpc({
      account: PARTNER,
      region: REGION,
      cidr: CIDR.partner,
      tags: { Name: 'partner-edge' },
    });
    const delivered = world.delivered.length;
    const id = await requestFrom(PARTNER, partnerVpc.vpcId);
    await world.settle();
    // The CreateVpcPeeringConnection event landed in the partner's account: nothing reached our bus.
    expect(world.delivered.length).toBe(delivered);
    expect(state().peerings.get(id)!.status).toBe('pending-acceptance');

    await world.poll();
    expect(state().peerings.get(id)!.status).toBe('active');
    for (const table of [hub.mainRouteTableId, hubPrivate])
      expect(route(table, CIDR.partner)).toMatchObject({ vpcPeeringConnectionId: id });
    expect((await audited(id)).find((e) => e.action === 'accept-peering')).toMatchObject({
      outcome: 'done',
      reason: expect.stringContaining('partner-link'),
    });
  });

  it('rejects a request from an account the policy does not list, saying so', async () => {
    const strangerVpc = state().createVpc({
      account: STRANGER,
      region: REGION,
      cidr: CIDR.stranger,
      tags: { Name: 'unknown' },
    });
    const id = await requestFrom(STRANGER, strangerVpc.vpcId);
    await world.poll();
    expect(state().peerings.get(id)!.status).toBe('rejected');
    expect(route(hub.mainRouteTableId, CIDR.stranger)).toBeUndefined();
    expect((await audited(id)).find((e) => e.action === 'reject-peering')?.reason).toMatch(
      new RegExp(`account ${STRANGER} is not listed`),
    );
  });

  it('refuses an overlapping request from a listed partner, with the overlap as the reason', async () => {
    const overlapVpc = state().createVpc({
      account: PARTNER,
      region: REGION,
      cidr: CIDR.overlap,
      tags: { Name: 'partner-lab' },
    });
    const id = await requestFrom(PARTNER, overlapVpc.vpcId);
    // Not the hub's own range, so EC2 itself lets the request through (it would end `failed` otherwise).
    expect(state().peerings.get(id)!.status).toBe('pending-acceptance');
    await world.poll();
    expect(state().peerings.get(id)!.status).toBe('rejected');
    const reject = (await audited(id)).find((e) => e.action === 'reject-peering');
    expect(reject?.reason).toContain(CIDR.overlap);
    expect(reject?.reason).toMatch(new RegExp(`overlaps ${CIDR.spoke.replace(/[./]/g, '\\$&')}`));
    expect(route(hub.mainRouteTableId, CIDR.spoke)).toMatchObject({ vpcPeeringConnectionId: spokePeering });
  });

  it('reverts a managed route someone pointed at a NAT gateway, with a handful of calls', async () => {
    const admin = await world.as(HUB, 'network-admin');
    world.bus.pause();
    await admin.send(
      new ReplaceRouteCommand({ RouteTableId: hubPrivate, DestinationCidrBlock: CIDR.spoke, NatGatewayId: NAT }),
    );
    expect(route(hubPrivate, CIDR.spoke)).toMatchObject({ natGatewayId: NAT });
    const calls = await world.measure(() => world.bus.resume());
    bench.routeChangeReconcile = calls;
    expect(route(hubPrivate, CIDR.spoke)).toMatchObject({ vpcPeeringConnectionId: spokePeering });
    expect(route(hubPrivate, CIDR.spoke)!.natGatewayId).toBeUndefined();
    expect(calls.writes).toBe(1);
    expect(calls.actions).toMatchObject({ ReplaceRoute: 1 });
  });

  it('restores a managed IPv6 route someone deleted', async () => {
    const admin = await world.as(SPOKE, 'network-admin');
    await admin.send(new DeleteRouteCommand({ RouteTableId: spokePrivate, DestinationIpv6CidrBlock: CIDR.hub6 }));
    expect(world.emu.events.at(-1)!.detail.eventName).toBe('DeleteRoute');
    await world.settle();
    expect(route(spokePrivate, CIDR.hub6)).toMatchObject({ vpcPeeringConnectionId: spokePeering, ipv6: true });
  });

  it('recreates the managed hub–spoke peering someone deleted, and moves every managed route to it', async () => {
    const admin = await world.as(SPOKE, 'network-admin');
    const delivered = world.delivered.length;
    await admin.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: spokePeering }));
    await world.settle();
    // The DeleteVpcPeeringConnection event alone repairs it (no sweep ran).
    expect(world.results[delivered]).toMatchObject({ status: 'reconciled', failed: 0 });
    expect((world.delivered[delivered] as { detail: { eventName: string } }).detail.eventName).toBe(
      'DeleteVpcPeeringConnection',
    );
    expect(state().peerings.get(spokePeering)!.status).toBe('deleted');
    const recreated = livePeering(hub.vpcId, spoke.vpcId);
    expect(recreated?.status).toBe('active');
    for (const table of [hub.mainRouteTableId, hubPrivate]) {
      for (const cidr of [CIDR.spoke, CIDR.spoke6])
        expect(route(table, cidr)).toMatchObject({ vpcPeeringConnectionId: recreated!.id });
    }
    for (const table of [spoke.mainRouteTableId, spokePrivate]) {
      for (const cidr of [CIDR.hub, CIDR.hub6])
        expect(route(table, cidr)).toMatchObject({ vpcPeeringConnectionId: recreated!.id });
    }
    spokePeering = recreated!.id;
  });

  it('never touches the unmanaged routes (internet gateway, NAT, transit gateway, S3 endpoint), seeded or added by hand while it watches', async () => {
    expect(unmanaged()).toEqual(unmanagedBefore);
    // Not vacuous: the gateway endpoint's prefix-list routes are among them, in both hub tables.
    for (const t of [hub.mainRouteTableId, hubPrivate])
      expect(routes(t).filter((r) => r.prefixList === true && r.destination.startsWith('pl-'))).toHaveLength(1);
    const admin = await world.as(SPOKE, 'network-admin');
    const delivered = world.delivered.length;
    await admin.send(
      new CreateRouteCommand({
        RouteTableId: spoke.mainRouteTableId,
        DestinationIpv6CidrBlock: '::/0',
        GatewayId: IGW,
      }),
    );
    await world.settle();
    // The CreateRoute event is reconciled (it names a managed table) and leaves the new route alone.
    expect(world.results.slice(delivered)).toEqual([expect.objectContaining({ status: 'reconciled', writes: 0 })]);
    expect(route(spoke.mainRouteTableId, '::/0')).toMatchObject({ gatewayId: IGW, origin: 'CreateRoute' });
    const expected = {
      ...unmanagedBefore,
      [spoke.mainRouteTableId]: [...unmanagedBefore[spoke.mainRouteTableId]!, route(spoke.mainRouteTableId, '::/0')],
    };
    expect(unmanaged()).toEqual(expected);
  });

  it('sweeps: one work item per governed account, each reconciled with zero writes on the converged estate', async () => {
    const messages = await world.sweepFanOut();
    expect(messages.map((m) => m.trigger.scope)).toEqual(
      [HUB, SPOKE].map((account) => ({ kind: 'account', cloud: 'aws', account, region: REGION })),
    );
    const perAccount: Record<string, unknown> = {};
    for (const message of messages) {
      const scope = message.trigger.scope as { account: string };
      const calls = await world.measure(() => world.workOne(message));
      perAccount[scope.account] = calls;
      expect(calls.writes).toBe(0);
      // The account itself and the anchor accounts the policy names (the hub's plan needs its spokes and vice versa).
      expect(calls.reads).toBeGreaterThanOrEqual(3);
    }
    bench.accountSweep = perAccount;
  });

  it('changes nothing when every event delivered so far is replayed (same ids: no calls; new ids: re-read, no writes)', async () => {
    const events = [...world.delivered];
    expect(events.length).toBeGreaterThanOrEqual(8);
    const answers: unknown[] = [];
    const same = await world.measure(async () => {
      for (const e of events) answers.push(await world.fns.networkEvent(e));
    });
    expect(same).toMatchObject({ reads: 0, writes: 0 });
    // Powertools idempotency hands back each event's first answer.
    expect(answers).toEqual(world.results.slice(0, events.length));
    const fresh = await world.measure(async () => {
      for (const [i, e] of events.entries()) await world.fns.networkEvent({ ...(e as object), id: `replay-${i}` });
      await world.settle();
    });
    expect(fresh.writes).toBe(0);
    expect(fresh.reads).toBeGreaterThan(0);
  });

  it("makes zero writes and zero reads for events caused by peerkeeper's own identities (hub user and member role)", async () => {
    const own = world.eventsBy((arn) => arn === OWN_IDENTITY || /:assumed-role\/peerkeeper-member\//.test(arn));
    expect(new Set(own.map((e) => e.account))).toEqual(new Set([HUB, SPOKE]));
    // Every write peerkeeper made came back around the bus and was ignored there.
    const ownIds = new Set(own.map((e) => e.id));
    const answers = world.delivered.flatMap((e, i) => (ownIds.has((e as { id: string }).id) ? [world.results[i]] : []));
    expect(answers.length).toBe(own.length);
    for (const answer of answers) expect(answer).toMatchObject({ status: 'ignored' });
    const calls = await world.measure(async () => {
      for (const e of own)
        expect(await world.fns.networkEvent({ ...e, id: `own-${e.id}` })).toMatchObject({ status: 'ignored' });
    });
    expect(calls).toMatchObject({ reads: 0, writes: 0 });
  });
});
