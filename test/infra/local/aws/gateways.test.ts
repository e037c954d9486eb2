import {
  AcceptVpcPeeringConnectionCommand,
  CreateRouteCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpnGatewaysCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { startAwsEmulator, type AwsEmulator } from '../../../../infra/local/aws';
import { deleteGateway } from '../../../../infra/local/aws/state/gateways';
import { testClock } from '../../../support/clock';
import { codeOf, ec2As, HUB } from './helpers';

// Issue 14, item 6: real route tables hold more than peering and internet routes.
const SPOKE = '222222222222';

describe('EC2 emulator: gateways, gateway endpoints, multi-range peerings, inter-region requests', () => {
  let emu: AwsEmulator;
  let hub: EC2Client;
  let vpc: { vpcId: string; mainRouteTableId: string };
  let privateTable: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB, now: testClock().now });
    const s = emu.state;
    vpc = s.createVpc({
      account: HUB,
      region: 'us-east-1',
      cidr: '10.0.0.0/16',
      secondaryCidrs: ['100.64.0.0/20'],
      ipv6Cidr: '2600:1f18:4000:100::/56',
    });
    privateTable = s.createRouteTable({ vpcId: vpc.vpcId });
    for (const kind of ['internet', 'nat', 'transit', 'vpn', 'egress-only'] as const) {
      ids[kind] = s.createGateway({
        kind,
        account: HUB,
        region: 'us-east-1',
        ...(kind === 'transit' ? {} : { vpcId: vpc.vpcId }),
      }).id;
    }
    ids.s3 = s.createGateway({
      kind: 'endpoint',
      account: HUB,
      region: 'us-east-1',
      vpcId: vpc.vpcId,
      service: 's3',
      routeTableIds: [vpc.mainRouteTableId, privateTable],
    }).id;
    hub = await ec2As(emu, HUB, 'us-east-1');
  });
  afterAll(async () => {
    hub.destroy();
    await emu.close();
  });

  it('lists every gateway kind through the SDK, as the Describe* calls shape them', async () => {
    const listed = {
      internet: (await hub.send(new DescribeInternetGatewaysCommand({}))).InternetGateways?.map((g) => [
        g.InternetGatewayId,
        g.Attachments?.[0]?.VpcId,
      ]),
      nat: (await hub.send(new DescribeNatGatewaysCommand({}))).NatGateways?.map((g) => [g.NatGatewayId, g.VpcId]),
      transit: (
        await hub.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [ids.transit!] }))
      ).TransitGateways?.map((g) => [g.TransitGatewayId, g.State]),
      vpn: (await hub.send(new DescribeVpnGatewaysCommand({}))).VpnGateways?.map((g) => [
        g.VpnGatewayId,
        g.VpcAttachments?.[0]?.VpcId,
      ]),
      eigw: (await hub.send(new DescribeEgressOnlyInternetGatewaysCommand({}))).EgressOnlyInternetGateways?.map((g) => [
        g.EgressOnlyInternetGatewayId,
        g.Attachments?.[0]?.VpcId,
      ]),
      endpoint: (
        await hub.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.vpcId] }] }))
      ).VpcEndpoints?.map((e) => [e.VpcEndpointId, e.ServiceName, e.VpcEndpointType, e.RouteTableIds]),
    };
    expect(listed).toEqual({
      internet: [[ids.internet, vpc.vpcId]],
      nat: [[ids.nat, vpc.vpcId]],
      transit: [[ids.transit, 'available']],
      vpn: [[ids.vpn, vpc.vpcId]],
      eigw: [[ids['egress-only'], vpc.vpcId]],
      endpoint: [[ids.s3, 'com.amazonaws.us-east-1.s3', 'Gateway', [vpc.mainRouteTableId, privateTable]]],
    });
    expect(await codeOf(hub.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-0000000000000dead'] })))).toBe(
      'NatGatewayNotFound',
    );
  });

  it("puts a gateway endpoint's prefix-list route in its tables, and routes to each gateway kind", async () => {
    const targets = [
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: ids.internet },
      { DestinationCidrBlock: '172.16.0.0/12', NatGatewayId: ids.nat },
      { DestinationCidrBlock: '10.128.0.0/9', TransitGatewayId: ids.transit },
      { DestinationCidrBlock: '192.168.0.0/16', GatewayId: ids.vpn },
      { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: ids['egress-only'] },
    ];
    for (const t of targets) await hub.send(new CreateRouteCommand({ RouteTableId: privateTable, ...t }));
    const table = (await hub.send(new DescribeRouteTablesCommand({ RouteTableIds: [privateTable] }))).RouteTables![0]!;
    expect(table.Routes).toContainEqual(
      expect.objectContaining({
        DestinationPrefixListId: 'pl-63a5400a',
        GatewayId: ids.s3,
        Origin: 'CreateRoute',
        State: 'active',
      }),
    );
    for (const t of targets) expect(table.Routes).toContainEqual(expect.objectContaining({ ...t, State: 'active' }));
    const byList = await hub.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'route.destination-prefix-list-id', Values: ['pl-63a5400a'] }],
      }),
    );
    expect(byList.RouteTables!.map((t) => t.RouteTableId).sort()).toEqual([vpc.mainRouteTableId, privateTable].sort());
  });

  it("leaves routes to a deleted NAT gateway in place as blackhole, and removes a deleted endpoint's routes", async () => {
    deleteGateway(emu.state, ids.nat!);
    deleteGateway(emu.state, ids.s3!);
    const table = (await hub.send(new DescribeRouteTablesCommand({ RouteTableIds: [privateTable] }))).RouteTables![0]!;
    expect(table.Routes!.find((r) => r.NatGatewayId === ids.nat)?.State).toBe('blackhole');
    expect(table.Routes!.some((r) => r.DestinationPrefixListId !== undefined)).toBe(false);
    expect((await hub.send(new DescribeNatGatewaysCommand({}))).NatGateways?.[0]?.State).toBe('deleted');
  });

  it("shows every range of both VPCs in the peering's CidrBlockSet and Ipv6CidrBlockSet, and accepts only in the accepter's region", async () => {
    emu.state.setRole(SPOKE, { roleName: 'peerkeeper-member' });
    const createdAt = new Date('2026-03-01T09:00:00.000Z');
    emu.state.setNow(createdAt);
    emu.state.associateCidr(vpc.vpcId, '2600:1f18:4000:900::/56');
    const far = emu.state.createVpc({
      account: SPOKE,
      region: 'eu-west-1',
      cidr: '10.1.0.0/16',
      secondaryCidrs: ['10.2.0.0/16', '10.3.0.0/16'],
    });
    const request = (
      await hub.send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: vpc.vpcId,
          PeerVpcId: far.vpcId,
          PeerOwnerId: SPOKE,
          PeerRegion: 'eu-west-1',
        }),
      )
    ).VpcPeeringConnection!;
    expect(request.Status?.Code).toBe('initiating-request');
    expect(request.ExpirationTime).toEqual(new Date('2026-03-08T09:00:00.000Z'));
    const wrongRegion = await ec2As(emu, SPOKE, 'us-east-1');
    expect(
      await codeOf(
        wrongRegion.send(
          new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: request.VpcPeeringConnectionId! }),
        ),
      ),
    ).toBe('InvalidVpcPeeringConnectionID.NotFound');
    const spoke = await ec2As(emu, SPOKE, 'eu-west-1');
    await spoke.send(
      new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: request.VpcPeeringConnectionId! }),
    );
    const seen = (
      await hub.send(
        new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [request.VpcPeeringConnectionId!] }),
      )
    ).VpcPeeringConnections![0]!;
    expect(seen.RequesterVpcInfo?.CidrBlockSet?.map((c) => c.CidrBlock)).toEqual(['10.0.0.0/16', '100.64.0.0/20']);
    expect(seen.RequesterVpcInfo?.Ipv6CidrBlockSet?.map((c) => c.Ipv6CidrBlock)).toEqual([
      '2600:1f18:4000:100::/56',
      '2600:1f18:4000:900::/56',
    ]);
    expect(seen.AccepterVpcInfo?.CidrBlockSet?.map((c) => c.CidrBlock)).toEqual([
      '10.1.0.0/16',
      '10.2.0.0/16',
      '10.3.0.0/16',
    ]);
    expect(seen.AccepterVpcInfo?.Region).toBe('eu-west-1');
    wrongRegion.destroy();
    spoke.destroy();
  });
});
