import { startAwsEmulator } from '../../infra/local/aws';
import type { PolicyInput } from '../../shared/policy/schema';
import { PolicySchema } from '../../shared/policy/schema';
import { AwsPeeringAdapter } from '../../shared/providers/aws';
import { reconcileScope } from '../../shared/reconcile';

const HUB = '111111111111';
const SPOKE = '222222222222';

interface Case {
  name: string;
  reason: string;
  connection: NonNullable<PolicyInput['connections']>[number];
  /** EC2 calls of the route-table reconcile (STS aside: credentials are cached by then). */
  calls: Record<string, number>;
  /** Remove peerkeeper's tags from the hub's view of the link (a link accepted before accepts were tagged). */
  untagHubView?: boolean;
}

const CASES: Case[] = [
  {
    name: 'link created from the hub account (its tags are visible there)',
    reason:
      'the hub sees the link is ours: observe the hub (3 reads), revert with one write, no far-side read and no re-read',
    connection: { name: 'hub-to-spokes', topology: 'pair', between: ['hub', 'spokes'], approval: 'auto' },
    calls: { DescribeVpcs: 1, DescribeRouteTables: 1, DescribeVpcPeeringConnections: 1, ReplaceRoute: 1 },
  },
  {
    name: 'link created from the spoke account and accepted by the hub',
    reason:
      "peerkeeper tagged the hub's view when it accepted, so the hub alone is read (3 reads) and one write reverts",
    connection: { name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes', approval: 'auto' },
    calls: { DescribeVpcs: 1, DescribeRouteTables: 1, DescribeVpcPeeringConnections: 1, ReplaceRoute: 1 },
  },
  {
    name: 'link whose hub view carries no tags (tags visible only in the spoke account)',
    reason:
      'ownership cannot be seen from the hub, so the spoke is read too (3 more reads); the fresh plan still skips the re-read',
    connection: { name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes', approval: 'auto' },
    calls: { DescribeVpcs: 2, DescribeRouteTables: 2, DescribeVpcPeeringConnections: 2, ReplaceRoute: 1 },
    untagHubView: true,
  },
];

describe('EC2 calls of a route-table reconcile that reverts a hand-made ReplaceRoute in the hub', () => {
  it.each(CASES)('$name', async (c) => {
    const emu = await startAwsEmulator({ hubAccount: HUB });
    const adapter = new AwsPeeringAdapter({
      roleName: 'peerkeeper-member',
      regions: ['us-east-1'],
      allowedAccounts: new Set([HUB, SPOKE]),
      hubAccount: HUB,
      endpoint: emu.url,
      credentials: { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' },
      sdkMaxAttempts: 1,
    });
    try {
      emu.state.setRole(SPOKE, { roleName: 'peerkeeper-member' });
      const policy = PolicySchema.parse({
        version: 1,
        providers: { aws: { regions: ['us-east-1'], accounts: [HUB, SPOKE] } },
        groups: {
          hub: { cloud: 'aws', account: HUB, tags: { role: 'hub' } },
          spokes: { cloud: 'aws', tags: { role: 'spoke' } },
        },
        connections: [c.connection],
      });
      const deps = { policy, providers: { aws: adapter } };
      const hub = emu.state.createVpc({
        account: HUB,
        region: 'us-east-1',
        cidr: '10.0.0.0/16',
        tags: { role: 'hub' },
      });
      emu.state.createVpc({ account: SPOKE, region: 'us-east-1', cidr: '10.2.0.0/16', tags: { role: 'spoke' } });
      await reconcileScope({ kind: 'estate' }, deps);
      const route = emu.state.table(hub.mainRouteTableId).routes.find((r) => r.destination === '10.2.0.0/16')!;
      const pcx = route.vpcPeeringConnectionId;
      if (c.untagHubView) emu.state.peerings.get(pcx!)!.tags.delete(HUB);
      Object.assign(route, { vpcPeeringConnectionId: undefined, natGatewayId: 'nat-0drift' });
      emu.calls.reset();
      const r = await reconcileScope(
        { kind: 'route-table', cloud: 'aws', account: HUB, region: 'us-east-1', routeTableId: hub.mainRouteTableId },
        deps,
      );
      const { AssumeRole: _sts, ...ec2 } = emu.calls.snapshot();
      expect({ reason: c.reason, calls: ec2, status: r.results.map((x) => x.status) }).toEqual({
        reason: c.reason,
        calls: c.calls,
        status: ['done'],
      });
      expect(emu.state.table(hub.mainRouteTableId).routes.find((x) => x.destination === '10.2.0.0/16')).toMatchObject({
        vpcPeeringConnectionId: pcx,
      });
    } finally {
      adapter.close();
      await emu.close();
    }
  });
});
