import { startAwsEmulator, type AwsEmulator } from '../../../infra/local/aws';
import { deleteGateway } from '../../../infra/local/aws/state/gateways';
import { networkKey, type NetworkRef, type Observation, type Route } from '../../../shared/model';
import type { ApplyContext } from '../../../shared/providers/port';
import { AwsPeeringAdapter } from '../../../shared/providers/aws';
import { testClock } from '../../support/clock';

// Issue 14, item 6: toModel passes a real estate's routes and peerings through as EC2 describes them.
const HUB = '111111111111';
const SPOKE = '222222222222';
const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };

describe('AwsPeeringAdapter over a rich EC2 estate', () => {
  let emu: AwsEmulator;
  let adapter: AwsPeeringAdapter;
  let observed: Observation;
  const ids: Record<string, string> = {};
  let hub: NetworkRef;
  let spoke: NetworkRef;
  let table: string;
  const clock = testClock();
  const ctx = (): ApplyContext => ({
    now: clock.now(),
    deadline: Date.now() + 10_000,
    resolvePeeringId: () => undefined,
  });

  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
    emu.state.setNow(new Date('2026-03-01T09:00:00.000Z'));
    emu.state.setRole(SPOKE, { roleName: 'peerkeeper-member' });
    const s = emu.state;
    const h = s.createVpc({
      account: HUB,
      region: 'us-east-1',
      cidr: '10.0.0.0/16',
      secondaryCidrs: ['100.64.0.0/20'],
      ipv6Cidr: '2600:1f18:4000:100::/56',
    });
    s.associateCidr(h.vpcId, '2600:1f18:4000:900::/56');
    table = s.createRouteTable({ vpcId: h.vpcId, tags: { tier: 'private' } });
    const gw = (kind: 'internet' | 'nat' | 'transit' | 'vpn' | 'egress-only' | 'carrier') =>
      s.createGateway({ kind, account: HUB, region: 'us-east-1', ...(kind === 'transit' ? {} : { vpcId: h.vpcId }) })
        .id;
    ids.s3 = s.createGateway({
      kind: 'endpoint',
      account: HUB,
      region: 'us-east-1',
      vpcId: h.vpcId,
      service: 's3',
      routeTableIds: [table],
    }).id;
    ids.nat = gw('nat');
    const routes: [string, Parameters<typeof s.addRoute>[0]['target']][] = [
      ['0.0.0.0/0', { natGatewayId: ids.nat }],
      ['10.128.0.0/9', { transitGatewayId: gw('transit') }],
      ['192.168.0.0/16', { gatewayId: gw('vpn') }],
      ['::/0', { egressOnlyInternetGatewayId: gw('egress-only') }],
      ['172.20.0.0/16', { networkInterfaceId: 'eni-0a1b2c3d4e5f60718' }],
      ['198.51.100.0/24', { carrierGatewayId: gw('carrier') }],
      ['203.0.113.0/24', { coreNetworkArn: 'arn:aws:networkmanager::111111111111:core-network/core-network-0f1' }],
      ['172.31.0.0/16', { localGatewayId: 'lgw-0123456789abcdef0' }],
    ];
    for (const [destination, target] of routes) s.addRoute({ routeTableId: table, destination, target });
    deleteGateway(s, ids.nat);
    const sp = s.createVpc({
      account: SPOKE,
      region: 'eu-west-1',
      cidr: '10.1.0.0/16',
      secondaryCidrs: ['10.2.0.0/16'],
    });
    hub = { cloud: 'aws', account: HUB, region: 'us-east-1', id: h.vpcId };
    spoke = { cloud: 'aws', account: SPOKE, region: 'eu-west-1', id: sp.vpcId };
    adapter = new AwsPeeringAdapter({
      roleName: 'peerkeeper-member',
      regions: ['us-east-1', 'eu-west-1'],
      allowedAccounts: new Set([HUB, SPOKE]),
      hubAccount: HUB,
      endpoint: emu.url,
      credentials: STATIC,
      sdkMaxAttempts: 1,
      backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    await adapter.apply(
      {
        action: 'create-peering',
        cloud: 'aws',
        reason: 'test',
        target: { requester: hub, accepter: spoke },
        after: { options: {}, tags: {} },
      },
      ctx(),
    );
    observed = await adapter.observe([
      { cloud: 'aws', account: HUB, region: 'us-east-1' },
      { cloud: 'aws', account: SPOKE, region: 'eu-west-1' },
    ]);
  });
  afterAll(async () => {
    adapter.close();
    await emu.close();
  });

  const routesOf = (): Route[] =>
    observed.networks.find((n) => networkKey(n.ref) === networkKey(hub))!.routeTables.find((t) => t.id === table)!
      .routes;

  it.each([
    {
      reason: "a gateway endpoint's prefix list stays pl-… with the endpoint as an other target",
      destination: 'pl-63a5400a',
      target: () => ids.s3!,
      state: 'active',
    },
    {
      reason: 'a route to a deleted NAT gateway is blackhole',
      destination: '0.0.0.0/0',
      target: () => ids.nat!,
      state: 'blackhole',
    },
    {
      reason: 'a core network is named by its ARN',
      destination: '203.0.113.0/24',
      target: () => 'arn:aws:networkmanager::111111111111:core-network/core-network-0f1',
      state: 'active',
    },
    {
      reason: 'a local gateway keeps its lgw- id',
      destination: '172.31.0.0/16',
      target: () => 'lgw-0123456789abcdef0',
      state: 'active',
    },
    {
      reason: 'a network interface keeps its eni- id',
      destination: '172.20.0.0/16',
      target: () => 'eni-0a1b2c3d4e5f60718',
      state: 'active',
    },
  ])('$reason', ({ destination, target, state }) => {
    expect(routesOf().find((r) => r.destination === destination)).toEqual({
      destination,
      target: { kind: 'other', id: target() },
      origin: 'static',
      state,
    });
  });

  it('gives every non-peering route a real target, never "unknown"', () => {
    const targets = routesOf().map((r) => (r.target.kind === 'other' ? r.target.id : r.target.peeringId));
    expect(targets.filter((t) => t === 'unknown')).toEqual([]);
    expect(targets.map((t) => t.replace(/-.*/, '')).sort()).toEqual([
      'arn:aws:networkmanager::111111111111:core',
      'cagw',
      'eigw',
      'eni',
      'lgw',
      'local',
      'local',
      'local',
      'local',
      'nat',
      'tgw',
      'vgw',
      'vpce',
    ]);
  });

  it("keeps every announced range of a multi-range peering and the inter-region request's own expiry", () => {
    const peering = observed.peerings.find((p) => p.requester.id === hub.id)!;
    expect(peering).toMatchObject({
      state: 'requested',
      accepter: spoke,
      expiresAt: '2026-03-08T09:00:00.000Z',
      requesterCidrs: ['10.0.0.0/16', '100.64.0.0/20', '2600:1f18:4000:100::/56', '2600:1f18:4000:900::/56'],
    });
  });
});
