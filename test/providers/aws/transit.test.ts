import { TerminalError } from '../../../shared/errors';
import {
  seedInterconnectAttachment,
  seedSubnets,
  seedTransitHub,
  seedVpcAttachment,
  startAwsEmulator,
  type AwsEmulator,
} from '../../../infra/local/aws';
import { createSubnet } from '../../../infra/local/aws/state/transit';
import type { Action, AttachmentRouting, NetworkRef, TransitHubRef } from '../../../shared/model';
import { AwsPeeringAdapter, createAwsProvider } from '../../../shared/providers/aws';
import { PolicySchema } from '../../../shared/policy/schema';
import type { ApplyContext } from '../../../shared/providers/port';
import { testClock } from '../../support/clock';

// Issue 17: what the transit contract does not pin down — read cost, unread partitions, subnet choice, the
// duplicate-attachment race, a pending accept, and refusing attachments peerkeeper does not own.
const HUB = '111111111111';
const SPOKE = '222222222222';
const REGION = 'us-east-1';
const MANAGED = { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'spokes' };
const base = { cloud: 'aws' as const, reason: 'test' };

describe('AWS adapter: Transit Gateway attachments beyond the contract', () => {
  const clock = testClock();
  let emu: AwsEmulator;
  let hub: TransitHubRef;
  let tables: [string, string];
  let counter = 0;
  const adapter = (transit: boolean) =>
    new AwsPeeringAdapter({
      roleName: 'peerkeeper-member',
      regions: [REGION],
      transit,
      allowedAccounts: new Set([HUB, SPOKE]),
      hubAccount: HUB,
      endpoint: emu.url,
      credentials: { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' },
      backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
  let aws: AwsPeeringAdapter;
  const ctx = (): ApplyContext => ({
    now: clock.now(),
    deadline: Date.now() + 10_000,
    resolvePeeringId: () => undefined,
  });
  const partitions = [HUB, SPOKE].map((account) => ({ cloud: 'aws' as const, account, region: REGION }));
  const spoke = (account = SPOKE, zones = 2): NetworkRef => {
    counter += 1;
    const v = emu.state.createVpc({ account, region: REGION, cidr: `10.${counter}.0.0/16` });
    seedSubnets(emu.state, v.vpcId, zones);
    return { cloud: 'aws', account, region: REGION, id: v.vpcId };
  };
  const routing = (table: string): AttachmentRouting => ({ association: table, propagations: [table] });
  const create = (
    network: NetworkRef,
    extra: Partial<Extract<Action, { action: 'create-attachment' }>['after']> = {},
  ): Action => ({
    ...base,
    action: 'create-attachment',
    connection: 'spokes',
    target: { hub, network },
    after: { routing: routing(tables[0]), tags: MANAGED, ...extra },
  });

  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
    emu.state.setRole(SPOKE, { roleName: 'peerkeeper-member' });
    const seeded = seedTransitHub(emu.state, { account: HUB, region: REGION, routeTables: ['spokes', 'shared'] });
    hub = { cloud: 'aws', account: HUB, region: REGION, id: seeded.transitGatewayId };
    tables = [seeded.routeTableIds[0]!, seeded.routeTableIds[1]!];
    aws = adapter(true);
  });
  afterAll(async () => {
    aws.close();
    await emu.close();
  });
  afterEach(() => {
    emu.faults.clear();
    emu.state.transit.settleCalls = 1;
    emu.state.transit.visibilityCalls = 0;
    emu.state.transit.routeSearchPages = true;
  });

  it('reads no Transit Gateway API unless the policy declares AWS transit hubs (3 reads per partition stay 3)', async () => {
    const plain = adapter(false);
    emu.calls.reset();
    const obs = await plain.observe(partitions);
    plain.close();
    expect(Object.keys(emu.calls.snapshot()).filter((a) => /Transit/.test(a))).toEqual([]);
    expect(obs.transitHubs).toBeUndefined();
  });

  it("joins the owner's and the spoke's views: routing from the owner, both accounts' tags; a VPN is an interconnect", async () => {
    const vpn = seedInterconnectAttachment(emu.state, {
      transitGatewayId: hub.id,
      resourceType: 'vpn',
      cidrs: ['192.168.0.0/16'],
      propagations: [tables[1]],
      tags: { Name: 'dc1' },
    });
    const s = spoke();
    const made = await aws.apply(create(s), ctx());
    await aws.apply(
      {
        ...base,
        action: 'accept-attachment',
        target: { id: made.peeringId!, hub, network: s },
        after: { routing: routing(tables[0]), tags: { 'peerkeeper:managed': 'true', owner: 'net' } },
      },
      ctx(),
    );
    const obs = await aws.observe(partitions);
    expect(obs.complete).toBe(true);
    const seen = obs.attachments?.find((a) => a.id === made.peeringId);
    expect(seen).toMatchObject({
      hub,
      network: s,
      state: 'active',
      association: tables[0],
      propagations: [tables[0]],
      tags: { ...MANAGED, owner: 'net' },
    });
    const hubSeen = obs.transitHubs?.find((h) => h.ref.id === hub.id);
    expect(hubSeen?.interconnects).toContainEqual({ id: vpn.id, kind: 'vpn', name: 'dc1', state: 'active' });
    expect(hubSeen?.routeTables.find((t) => t.id === tables[1])?.routes).toContainEqual({
      destination: '192.168.0.0/16',
      target: { kind: 'attachment', attachmentId: vpn.id },
      origin: 'propagated',
      state: 'active',
    });
    expect(obs.attachments?.some((a) => a.id === vpn.id)).toBe(false);
  });

  it('marks the partition unread when a hub route table is cut short (AdditionalRoutesAvailable without a NextToken)', async () => {
    emu.state.transit.routeSearchPages = false;
    const table = emu.state.transit.routeTables.get(tables[1])!;
    const kept = table.staticRoutes;
    table.staticRoutes = Array.from({ length: 1001 }, (_, i) => ({
      destination: `172.${16 + (i >> 8)}.${i & 255}.0/24`,
      blackhole: true,
    }));
    const obs = await aws.observe(partitions);
    table.staticRoutes = kept;
    expect(obs.complete).toBe(false);
    expect(obs.unread).toContainEqual({
      cloud: 'aws',
      account: HUB,
      region: REGION,
      reason: expect.stringMatching(/SearchTransitGatewayRoutes .* truncated at 1000 routes/),
    });
    expect(obs.unread?.some((u) => u.account === SPOKE)).toBe(false);
  });

  it('marks a partition unread when its TGW reads fail, and keeps the networks it did read', async () => {
    emu.faults.serverError({ action: 'DescribeTransitGateways' });
    const obs = await aws.observe(partitions);
    expect(obs.complete).toBe(false);
    expect(new Set(obs.unread?.map((u) => u.account))).toEqual(new Set([HUB, SPOKE]));
    expect(obs.unread?.every((u) => /Transit Gateway reads failed \(InternalError\)/.test(u.reason))).toBe(true);
    expect(obs.networks.length).toBeGreaterThan(0);
  });

  it('attaches on the tagged subnets, one per zone, and refuses a VPC without such subnets', async () => {
    const s = spoke(SPOKE, 0);
    const subnet = (zone: string, third: number, tags: Record<string, string> = {}) =>
      createSubnet(emu.state, {
        vpcId: s.id,
        availabilityZone: `${REGION}${zone}`,
        cidr: `10.${counter}.${third}.0/24`,
        tags,
      }).id;
    subnet('a', 0);
    const a1 = subnet('a', 1, { tier: 'transit' });
    const b1 = subnet('b', 2, { tier: 'transit' });
    subnet('c', 3);
    const made = await aws.apply(create(s, { subnets: { tags: { tier: 'transit' } } }), ctx());
    expect(emu.state.transit.attachments.get(made.peeringId!)?.subnetIds.sort()).toEqual([a1, b1].sort());
    await expect(
      aws.apply(create(spoke(SPOKE, 1), { subnets: { tags: { tier: 'none' } } }), ctx()),
    ).rejects.toBeInstanceOf(TerminalError);
  });

  it('converges on the attachment a concurrent create made, when EC2 has not listed it yet (DuplicateTransitGatewayAttachment)', async () => {
    const s = spoke();
    // Unseen by the adapter's lookup, subnet read and create; seen by the lookup after DuplicateTransitGatewayAttachment.
    emu.state.transit.visibilityCalls = 3;
    const other = seedVpcAttachment(emu.state, {
      transitGatewayId: hub.id,
      vpcId: s.id,
      state: 'pendingAcceptance',
      tags: MANAGED,
    });
    emu.calls.reset();
    const outcome = await aws.apply(create(s), ctx());
    expect(outcome).toMatchObject({ status: 'converged', peeringId: other.id });
    expect(emu.calls.of('CreateTransitGatewayVpcAttachment')).toBe(1);
  });

  it('accepts an attachment that stays pending: done, routing left to the next reconcile', async () => {
    const s = spoke();
    const made = await aws.apply(create(s), ctx());
    emu.state.transit.settleCalls = 100;
    const outcome = await aws.apply(
      {
        ...base,
        action: 'accept-attachment',
        target: { id: made.peeringId!, hub, network: s },
        after: { routing: routing(tables[0]), tags: MANAGED },
      },
      ctx(),
    );
    expect(outcome).toMatchObject({ status: 'done', detail: expect.stringMatching(/^pending: routing follows/) });
    expect(emu.state.transit.attachments.get(made.peeringId!)).toMatchObject({ state: 'pending', propagations: [] });
    expect(emu.calls.of('AssociateTransitGatewayRouteTable')).toBe(0);
  });

  it('skips accepting a rejected attachment, and refuses to re-route one it does not own', async () => {
    const s = spoke();
    const rejected = seedVpcAttachment(emu.state, {
      transitGatewayId: hub.id,
      vpcId: s.id,
      state: 'pendingAcceptance',
    });
    rejected.state = 'rejected';
    const accept = await aws.apply(
      {
        ...base,
        action: 'accept-attachment',
        target: { id: rejected.id, hub, network: s },
        after: { routing: routing(tables[0]) },
      },
      ctx(),
    );
    expect(accept).toMatchObject({ status: 'skipped', detail: 'attachment is rejected' });
    const t = spoke();
    const foreign = seedVpcAttachment(emu.state, { transitGatewayId: hub.id, vpcId: t.id, state: 'available' });
    await expect(
      aws.apply(
        {
          ...base,
          action: 'update-attachment',
          target: { id: foreign.id, hub, network: t },
          before: { propagations: [] },
          after: routing(tables[0]),
        },
        ctx(),
      ),
    ).rejects.toBeInstanceOf(TerminalError);
    expect(foreign.association).toBeUndefined();
  });

  it("reads TGWs when the policy declares an AWS transit hub, and may act in the hub owner's account", async () => {
    const policy = PolicySchema.parse({
      version: 1,
      providers: { aws: { hubAccount: HUB, accounts: [SPOKE], regions: [REGION] } },
      groups: { spokes: { cloud: 'aws', account: [SPOKE] } },
      transitHubs: {
        core: { cloud: 'aws', account: '333333333333', region: REGION, id: 'tgw-0abc', associate: 'tgw-rtb-0abc' },
      },
    });
    // Nothing listens on port 9: each read fails, and says why.
    const provider = createAwsProvider(policy, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    const obs = await provider.observe([
      { cloud: 'aws', account: '333333333333', region: REGION },
      { cloud: 'aws', account: '444444444444', region: REGION },
    ]);
    provider.close();
    const reasons = (account: string) => (obs.unread ?? []).filter((u) => u.account === account).map((u) => u.reason);
    expect(reasons('333333333333').join('\n')).not.toContain('AccountNotAllowed');
    expect(reasons('333333333333')).toContainEqual(expect.stringMatching(/^Transit Gateway reads failed/));
    expect(reasons('444444444444').join('\n')).toContain('AccountNotAllowed');
  });
});
