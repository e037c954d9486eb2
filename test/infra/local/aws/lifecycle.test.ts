import {
  AcceptVpcPeeringConnectionCommand,
  CreateRouteCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteRouteCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RejectVpcPeeringConnectionCommand,
  ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import { startAwsEmulator, PEERING_REQUEST_TTL_MS, type AwsEmulator } from '../../../../infra/local/aws';
import { codeOf, ec2As, HUB } from './helpers';

const SPOKE = '222222222222';
const clients: EC2Client[] = [];

describe('EC2 emulator through the real SDK: peering lifecycle, routes, quotas, filters, pagination', () => {
  let emu: AwsEmulator;
  let hub: EC2Client;
  let spoke: EC2Client;
  let spokeWrongRegion: EC2Client;
  beforeAll(async () => {
    emu = await startAwsEmulator();
    hub = await ec2As(emu, HUB, 'us-east-1');
    spoke = await ec2As(emu, SPOKE, 'eu-west-1');
    spokeWrongRegion = await ec2As(emu, SPOKE, 'us-east-1');
    clients.push(hub, spoke, spokeWrongRegion);
  });
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await emu.close();
  });

  async function request(
    hubCidr: string,
    spokeCidr: string,
  ): Promise<{ id: string; hubVpc: string; hubRtb: string; spokeVpc: string; spokeRtb: string }> {
    const h = emu.state.createVpc({ account: HUB, region: 'us-east-1', cidr: hubCidr, ipv6Cidr: '2600:1f18:1::/56' });
    const s = emu.state.createVpc({ account: SPOKE, region: 'eu-west-1', cidr: spokeCidr });
    const out = await hub.send(
      new CreateVpcPeeringConnectionCommand({
        VpcId: h.vpcId,
        PeerVpcId: s.vpcId,
        PeerOwnerId: SPOKE,
        PeerRegion: 'eu-west-1',
      }),
    );
    expect(out.VpcPeeringConnection?.Status?.Code).toBe('initiating-request');
    return {
      id: out.VpcPeeringConnection!.VpcPeeringConnectionId!,
      hubVpc: h.vpcId,
      hubRtb: h.mainRouteTableId,
      spokeVpc: s.vpcId,
      spokeRtb: s.mainRouteTableId,
    };
  }

  async function statusOf(client: EC2Client, id: string): Promise<string | undefined> {
    const out = await client.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }));
    return out.VpcPeeringConnections?.[0]?.Status?.Code;
  }

  it('goes initiating-request → pending-acceptance → active when the accepter accepts in its own region', async () => {
    const p = await request('10.10.0.0/16', '10.11.0.0/16');
    expect(await statusOf(hub, p.id)).toBe('pending-acceptance');
    expect(await codeOf(hub.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.id })))).toBe(
      'OperationNotPermitted',
    );
    expect(
      await codeOf(spokeWrongRegion.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.id }))),
    ).toBe('InvalidVpcPeeringConnectionID.NotFound');
    const accepted = await spoke.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.id }));
    expect(accepted.VpcPeeringConnection?.Status?.Code).toBe('provisioning');
    expect(await statusOf(hub, p.id)).toBe('active');
    expect(await codeOf(spoke.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.id })))).toBe(
      'InvalidStateTransition',
    );
  });

  it('fails a request between overlapping CIDRs', async () => {
    const p = await request('10.20.0.0/16', '10.20.128.0/17');
    expect(await statusOf(hub, p.id)).toBe('failed');
  });

  it('expires a request still pending 7 days after creation, on the emulator clock', async () => {
    const p = await request('10.30.0.0/16', '10.31.0.0/16');
    emu.state.advanceClock(PEERING_REQUEST_TTL_MS - 1000);
    expect(await statusOf(hub, p.id)).toBe('pending-acceptance');
    emu.state.advanceClock(1000);
    expect(await statusOf(hub, p.id)).toBe('expired');
    expect(await codeOf(spoke.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.id })))).toBe(
      'InvalidStateTransition',
    );
  });

  it('rejects by the accepter only, and deletes from either side once active', async () => {
    const r = await request('10.40.0.0/16', '10.41.0.0/16');
    expect(await codeOf(hub.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: r.id })))).toBe(
      'OperationNotPermitted',
    );
    await spoke.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: r.id }));
    expect(await statusOf(hub, r.id)).toBe('rejected');
    const d = await request('10.42.0.0/16', '10.43.0.0/16');
    await spoke.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: d.id }));
    await spoke.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: d.id }));
    expect(await statusOf(hub, d.id)).toBe('deleted');
  });

  it('routes: v4 and v6, blackhole until active, RouteAlreadyExists, InvalidRoute.NotFound, other VPC refused', async () => {
    const p = await request('10.50.0.0/16', '10.51.0.0/16');
    await hub.send(
      new CreateRouteCommand({
        RouteTableId: p.hubRtb,
        DestinationCidrBlock: '10.51.0.0/16',
        VpcPeeringConnectionId: p.id,
      }),
    );
    await hub.send(
      new CreateRouteCommand({
        RouteTableId: p.hubRtb,
        DestinationIpv6CidrBlock: '2600:1f18:2::/56',
        VpcPeeringConnectionId: p.id,
      }),
    );
    const routes = async (): Promise<Record<string, string | undefined>> => {
      const out = await hub.send(new DescribeRouteTablesCommand({ RouteTableIds: [p.hubRtb] }));
      return Object.fromEntries(
        (out.RouteTables?.[0]?.Routes ?? []).map((r) => [
          r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock,
          r.State,
        ]),
      );
    };
    expect(await routes()).toMatchObject({ '10.51.0.0/16': 'blackhole', '2600:1f18:2::/56': 'blackhole' });
    await spoke.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.id }));
    expect(await routes()).toMatchObject({ '10.51.0.0/16': 'active', '2600:1f18:2::/56': 'active' });
    expect(
      await codeOf(
        hub.send(
          new CreateRouteCommand({ RouteTableId: p.hubRtb, DestinationCidrBlock: '10.51.0.0/16', GatewayId: 'igw-1' }),
        ),
      ),
    ).toBe('RouteAlreadyExists');
    expect(
      await codeOf(hub.send(new DeleteRouteCommand({ RouteTableId: p.hubRtb, DestinationCidrBlock: '10.99.0.0/16' }))),
    ).toBe('InvalidRoute.NotFound');
    const other = emu.state.createVpc({ account: HUB, region: 'us-east-1', cidr: '10.52.0.0/16' });
    expect(
      await codeOf(
        hub.send(
          new CreateRouteCommand({
            RouteTableId: other.mainRouteTableId,
            DestinationCidrBlock: '10.51.0.0/16',
            VpcPeeringConnectionId: p.id,
          }),
        ),
      ),
    ).toBe('InvalidParameterValue');
    await hub.send(
      new ReplaceRouteCommand({
        RouteTableId: p.hubRtb,
        DestinationCidrBlock: '10.51.0.0/16',
        TransitGatewayId: 'tgw-1',
      }),
    );
    expect(
      await codeOf(
        hub.send(
          new ReplaceRouteCommand({
            RouteTableId: p.hubRtb,
            DestinationCidrBlock: '10.77.0.0/16',
            TransitGatewayId: 'tgw-1',
          }),
        ),
      ),
    ).toBe('InvalidParameterValue');
    await spoke.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p.id }));
    expect(await routes()).toMatchObject({ '2600:1f18:2::/56': 'blackhole', '10.51.0.0/16': 'active' });
  });

  it('enforces quotas: 50 routes per table, 25 pending requests per account, 50 active per VPC (scaled down here)', async () => {
    emu.state.quotas = { routesPerTable: 2, pendingPeeringsPerAccount: 1, activePeeringsPerVpc: 1 };
    try {
      const t = emu.state.createVpc({ account: HUB, region: 'us-east-1', cidr: '10.60.0.0/16' });
      await hub.send(
        new CreateRouteCommand({
          RouteTableId: t.mainRouteTableId,
          DestinationCidrBlock: '1.0.0.0/8',
          GatewayId: 'igw-1',
        }),
      );
      await hub.send(
        new CreateRouteCommand({
          RouteTableId: t.mainRouteTableId,
          DestinationCidrBlock: '2.0.0.0/8',
          GatewayId: 'igw-1',
        }),
      );
      expect(
        await codeOf(
          hub.send(
            new CreateRouteCommand({
              RouteTableId: t.mainRouteTableId,
              DestinationCidrBlock: '3.0.0.0/8',
              GatewayId: 'igw-1',
            }),
          ),
        ),
      ).toBe('RouteLimitExceeded');
      const a = await request('10.61.0.0/16', '10.62.0.0/16');
      expect(await codeOf(request('10.63.0.0/16', '10.64.0.0/16'))).toBe(
        'OutstandingVpcPeeringConnectionLimitExceeded',
      );
      await spoke.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: a.id }));
      const s2 = emu.state.createVpc({ account: SPOKE, region: 'eu-west-1', cidr: '10.65.0.0/16' });
      const b = await hub.send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: a.hubVpc,
          PeerVpcId: s2.vpcId,
          PeerOwnerId: SPOKE,
          PeerRegion: 'eu-west-1',
        }),
      );
      expect(
        await codeOf(
          spoke.send(
            new AcceptVpcPeeringConnectionCommand({
              VpcPeeringConnectionId: b.VpcPeeringConnection!.VpcPeeringConnectionId!,
            }),
          ),
        ),
      ).toBe('ActiveVpcPeeringConnectionPerVpcLimitExceeded');
    } finally {
      emu.state.quotas = { routesPerTable: 50, pendingPeeringsPerAccount: 25, activePeeringsPerVpc: 50 };
    }
  });

  it('honours Filters (with wildcards and tags), rejects unknown filters, and paginates with NextToken', async () => {
    for (let i = 0; i < 7; i++)
      emu.state.createVpc({
        account: HUB,
        region: 'ap-south-1',
        cidr: `10.${100 + i}.0.0/16`,
        tags: { team: i % 2 ? 'odd' : 'even' },
      });
    const ap = await ec2As(emu, HUB, 'ap-south-1');
    clients.push(ap);
    const even = await ap.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:team', Values: ['ev*'] }] }));
    expect(even.Vpcs).toHaveLength(4);
    expect(
      await codeOf(ap.send(new DescribeVpcsCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] }))),
    ).toBe('InvalidParameterValue');
    const first = await ap.send(new DescribeVpcsCommand({ MaxResults: 5 }));
    expect(first.Vpcs).toHaveLength(5);
    expect(first.NextToken).toBeDefined();
    const second = await ap.send(new DescribeVpcsCommand({ MaxResults: 5, NextToken: first.NextToken }));
    expect(second.Vpcs).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
    expect(new Set([...first.Vpcs!, ...second.Vpcs!].map((v) => v.VpcId)).size).toBe(7);
  });

  it('refuses AssumeRole without the ExternalId a registered role demands', async () => {
    emu.state.setRole('333333333333', { roleName: 'peerkeeper-member', externalId: 'sesame' });
    expect(await codeOf(ec2As(emu, '333333333333', 'us-east-1', 'wrong'))).toBe('AccessDenied');
    const ok = await ec2As(emu, '333333333333', 'us-east-1', 'sesame');
    clients.push(ok);
    const out = await ok.send(new DescribeVpcsCommand({}));
    expect(out.Vpcs).toEqual([]);
  });

  it('throttles, fails and slows calls on demand, and counts reads and writes per Action', async () => {
    emu.calls.reset();
    emu.faults.throttle({ action: 'DescribeVpcs', times: 1 });
    expect(await codeOf(hub.send(new DescribeVpcsCommand({})))).toBe('RequestLimitExceeded');
    await hub.send(new DescribeVpcsCommand({}));
    emu.faults.serverError({ action: 'DescribeRouteTables', times: 1, code: 'Unavailable' });
    expect(await codeOf(hub.send(new DescribeRouteTablesCommand({})))).toBe('Unavailable');
    emu.faults.clear();
    emu.faults.latency({ ms: 150, times: 1 });
    const t0 = Date.now();
    await hub.send(new DescribeRouteTablesCommand({}));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    emu.faults.clear();
    expect(emu.calls.snapshot()).toEqual({ DescribeRouteTables: 2, DescribeVpcs: 2 });
    expect(emu.calls.reads).toBe(4);
    expect(emu.calls.writes).toBe(0);
  });
});
