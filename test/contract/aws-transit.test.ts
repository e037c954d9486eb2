import {
  seedInterconnectAttachment,
  seedSubnets,
  seedTransitHub,
  seedVpcAttachment,
  startAwsEmulator,
} from '../../infra/local/aws';
import { AWS_PERMISSIONS, AwsPeeringAdapter, type AwsConnectOptions } from '../../shared/providers/aws';
import { testClock } from '../support/clock';
import { transitContract } from './transit-contract';

const HUB = '111111111111';
const SPOKE = '222222222222';
const REGION = 'us-east-1';
/** Every command the adapter sent during the contract, with the operation it was sent for. */
const sent: Parameters<NonNullable<AwsConnectOptions['onCommand']>>[0][] = [];

// The transit contract (issue 17) against the real adapter, through @aws-sdk/client-ec2, over the EC2 emulator's
// Transit Gateway API: the TGW in the hub account, spokes attached from another account through AssumeRole.
transitContract('AWS adapter through the real SDK against the EC2 emulator', async () => {
  const clock = testClock();
  const emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
  emu.state.setRole(SPOKE, { roleName: 'peerkeeper-member', externalId: 'contract' });
  const provider = new AwsPeeringAdapter({
    roleName: 'peerkeeper-member',
    externalId: 'contract',
    regions: [REGION],
    transit: true,
    allowedAccounts: new Set([HUB, SPOKE]),
    hubAccount: HUB,
    endpoint: emu.url,
    credentials: { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' },
    sdkMaxAttempts: 1,
    backoff: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    onCommand: (c) => sent.push(c),
  });
  let vpn: string | undefined;
  const attachment = (id: string) => {
    const a = emu.state.transit.attachments.get(id);
    if (!a) throw new Error(`no attachment ${id}`);
    return a;
  };
  return {
    cloud: 'aws',
    provider,
    hubAccount: HUB,
    spokeAccount: SPOKE,
    acceptsRequests: true,
    spokeRoutes: true,
    routingUpdatable: 'association-and-propagation',
    now: clock.now,
    partitions: (accounts) => accounts.map((account) => ({ cloud: 'aws' as const, account, region: REGION })),
    seedHub: async () => {
      const { transitGatewayId, routeTableIds } = seedTransitHub(emu.state, {
        account: HUB,
        region: REGION,
        routeTables: ['spokes', 'shared'],
      });
      // An existing VPN to another site: an interconnect of the hub, never peerkeeper's.
      vpn = seedInterconnectAttachment(emu.state, {
        transitGatewayId,
        resourceType: 'vpn',
        cidrs: ['192.168.0.0/16'],
      }).id;
      return {
        ref: { cloud: 'aws', account: HUB, region: REGION, id: transitGatewayId },
        routeTables: [routeTableIds[0]!, routeTableIds[1]!],
      };
    },
    seedNetwork: async ({ account, name, cidrs }) => {
      const [cidr, ...secondaryCidrs] = cidrs;
      const vpc = emu.state.createVpc({ account, region: REGION, cidr: cidr!, secondaryCidrs, tags: { Name: name } });
      seedSubnets(emu.state, vpc.vpcId, 2);
      return { ref: { cloud: 'aws', account, region: REGION, id: vpc.vpcId }, routeTableId: vpc.mainRouteTableId };
    },
    seedForeignAttachment: async ({ hub, network, state }) =>
      seedVpcAttachment(emu.state, {
        transitGatewayId: hub.id,
        vpcId: network.id,
        state: state === 'active' ? 'available' : 'pendingAcceptance',
      }).id,
    setRoutingOutOfBand: async (_hub, id, routing) => {
      const a = attachment(id);
      if (routing.association) a.association = routing.association;
      else delete a.association;
      a.propagations = [...routing.propagations];
    },
    addStaticHubRoute: async (_hub, routeTableId, destination) => {
      emu.state.transit.routeTables
        .get(routeTableId)!
        .staticRoutes.push({ destination, blackhole: false, ...(vpn ? { attachmentId: vpn } : {}) });
    },
    close: async () => {
      provider.close();
      await emu.close();
    },
  };
});

describe('AWS transit permissions (DESIGN §2 rule 6)', () => {
  it('sent only commands that AWS_PERMISSIONS declares for the operation that sent them, and every TGW write', () => {
    const undeclared = sent.filter(
      (c) =>
        !(AWS_PERMISSIONS[c.operation] as readonly string[]).includes(
          `${c.service}:${c.command.replace(/Command$/, '')}`,
        ),
    );
    expect(undeclared).toEqual([]);
    const used = new Set(sent.map((c) => `${c.operation} ${c.command}`));
    for (const call of [
      'create-attachment CreateTransitGatewayVpcAttachmentCommand',
      'create-attachment DescribeSubnetsCommand',
      'accept-attachment AcceptTransitGatewayVpcAttachmentCommand',
      'accept-attachment CreateTagsCommand',
      'reject-attachment RejectTransitGatewayVpcAttachmentCommand',
      'update-attachment AssociateTransitGatewayRouteTableCommand',
      'update-attachment DisassociateTransitGatewayRouteTableCommand',
      'update-attachment EnableTransitGatewayRouteTablePropagationCommand',
      'update-attachment DisableTransitGatewayRouteTablePropagationCommand',
      'update-attachment GetTransitGatewayAttachmentPropagationsCommand',
      'delete-attachment DeleteTransitGatewayVpcAttachmentCommand',
      'observe SearchTransitGatewayRoutesCommand',
      'observe GetTransitGatewayRouteTablePropagationsCommand',
    ])
      expect(used).toContain(call);
  });
});
