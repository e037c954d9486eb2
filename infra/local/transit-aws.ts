import {
  CreateTagsCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  DisableTransitGatewayRouteTablePropagationCommand,
} from '@aws-sdk/client-ec2';
import { APPROVE_ACTION_ID } from '../../shared/approvals';
import { ec2As } from './actors';
import { seedSubnets } from './aws';
import { routesOf } from './aws/state/transit-routing';
import type { LocalCloud } from './cloud';
import { findMessage, waitFor } from './inspect';
import { TRANSIT_CAST } from './transit-estate';
import { localCli, type ScenarioStep } from './transit-scenario';

const T = TRANSIT_CAST.aws;
const CIDRS = TRANSIT_CAST.cidrs;

export interface AwsTransitIds {
  spokeVpc: string;
  spokeTable: string;
  strangerVpc: string;
  /** The spoke's attachment (made by peerkeeper, accepted by the hub's owner) and the stranger's (rejected). */
  spokeAttachment: string;
  strangerAttachment: string;
  /** The apply's plan line for the route to Azure (its reason names the path). */
  crossCloudPath: string;
}

/** The live attachment of a VPC to the local TGW, if any. */
export function tgwAttachmentOf(cloud: LocalCloud, vpcId: string) {
  return [...cloud.aws.state.transit.attachments.values()].find(
    (a) => a.resourceId === vpcId && !['deleted', 'rejected', 'failed'].includes(a.state),
  );
}

/** The routes of the TGW's spokes table (static and propagated), as SearchTransitGatewayRoutes would list them. */
export function tgwSpokesRoutes(cloud: LocalCloud) {
  return routesOf(cloud.aws.state, cloud.aws.state.transit.routeTables.get(T.spokesTable)!);
}

/** The AWS transit story: chat-approved attachment, cross-cloud route, stranger rejected, drift put back, hand route kept. */
export async function runAwsTransit(cloud: LocalCloud, step: ScenarioStep): Promise<AwsTransitIds> {
  const aws = cloud.aws.state;
  const route = (table: string, cidr: string) => aws.table(table).routes.find((r) => r.destination === cidr);
  // The payments account's second VPC, with a subnet in two zones (its baseline; no events).
  const spoke = aws.createVpc({
    account: T.spoke,
    region: 'us-east-1',
    cidr: CIDRS.awsSpoke,
    tags: { Name: 'orders' },
  });
  seedSubnets(aws, spoke.vpcId, 2);
  const approvalText = spoke.vpcId;

  await step(
    'AWS transit: a network admin tags VPC orders (222222222222) peerkeeper/role=transit-spoke → the attachment to the TGW goes to chat',
    async () => {
      const admin = await ec2As(cloud.aws.url, T.spoke, 'network-admin');
      await admin.send(
        new CreateTagsCommand({
          Resources: [spoke.vpcId],
          Tags: [{ Key: 'peerkeeper/role', Value: 'transit-spoke' }],
        }),
      );
      admin.destroy();
      await waitFor(
        () => cloud.settled().then(() => findMessage(cloud, approvalText) !== undefined),
        10_000,
        'the attachment approval message',
      );
    },
    () => `approval message posted in #networks: "${findMessage(cloud, approvalText)?.text}"`,
  );

  await step(
    'AWS transit: an approver clicks Approve → peerkeeper attaches orders (from 222222222222) and accepts it (as the TGW owner)',
    async () => {
      const res = await cloud.chat.click(findMessage(cloud, approvalText)!.ts, APPROVE_ACTION_ID);
      if (res.status !== 200) throw new Error(`the approval endpoint answered ${res.status}: ${res.body}`);
    },
    () => {
      const a = tgwAttachmentOf(cloud, spoke.vpcId);
      return `${a?.id} ${a?.state} (requested from ${a?.resourceOwner}, accepted by the TGW owner ${a?.transitGatewayOwner}), associated with ${a?.association ?? 'nothing'}, propagating to [${a?.propagations.join(', ')}]`;
    },
  );

  const crossCloud = await step(
    'AWS → Azure: the TGW reaches orders-eu over its VPN; the functions read one cloud each, so `peerkeeper apply --provider local` (all three clouds) routes it',
    async () => {
      // Scoped to the spoke: its reconcile reads the TGW and the groups the TGW reaches (here Azure's), not the estate.
      const network = { cloud: 'aws', account: T.spoke, region: 'us-east-1', id: spoke.vpcId };
      const { code, printed } = await localCli(cloud, 'apply', [
        '--scope',
        JSON.stringify({ kind: 'network', network }),
      ]);
      if (code === 1) throw new Error(`peerkeeper apply failed:\n${printed}`);
      // The plan line's reason names the path: spoke → TGW → VPN → Azure hub → VNet.
      return (
        printed
          .split('\n')
          .find((line) => line.includes(`vpn ${T.vpn} →`))
          ?.trim() ?? 'no path printed'
      );
    },
    (path) =>
      `${CIDRS.azureSpoke} in orders' table → ${route(spoke.mainRouteTableId, CIDRS.azureSpoke)?.transitGatewayId ?? 'missing'}; path: ${path}`,
  );

  const stranger = aws.createVpc({
    account: T.stranger,
    region: 'us-east-1',
    cidr: CIDRS.awsStranger,
    tags: { Name: 'unknown' },
  });
  const strangerSubnets = seedSubnets(aws, stranger.vpcId, 1);
  const strangerAttachment = await step(
    'AWS transit: a stranger (666666666666) attaches a VPC to the TGW → the pending poll finds it → rejected',
    async () => {
      const ec2 = await ec2As(cloud.aws.url, T.stranger, 'admin');
      const out = await ec2.send(
        new CreateTransitGatewayVpcAttachmentCommand({
          TransitGatewayId: T.tgw,
          VpcId: stranger.vpcId,
          SubnetIds: strangerSubnets,
        }),
      );
      ec2.destroy();
      await cloud.functions.aws.pendingPoll();
      return out.TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    },
    (id) => `${id} ${aws.transit.attachments.get(id)?.state}`,
  );

  await step(
    'AWS transit: someone disables the spoke’s propagation into the spokes table and adds a static route there by hand',
    async () => {
      const hubAdmin = await ec2As(cloud.aws.url, '111111111111', 'network-admin');
      await hubAdmin.send(
        new DisableTransitGatewayRouteTablePropagationCommand({
          TransitGatewayRouteTableId: T.spokesTable,
          TransitGatewayAttachmentId: tgwAttachmentOf(cloud, spoke.vpcId)!.id,
        }),
      );
      await hubAdmin.send(
        new CreateTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: T.spokesTable,
          DestinationCidrBlock: CIDRS.handRoute,
          Blackhole: true,
        }),
      );
      hubAdmin.destroy();
    },
    () => {
      const a = tgwAttachmentOf(cloud, spoke.vpcId);
      const hand = tgwSpokesRoutes(cloud).find((r) => r.destination === CIDRS.handRoute);
      return `propagation put back (${a?.id} → [${a?.propagations.join(', ')}]); ${CIDRS.handRoute} ${hand ? `${hand.type} ${hand.state}` : 'gone'} (left alone: not peerkeeper's)`;
    },
  );

  return {
    spokeVpc: spoke.vpcId,
    spokeTable: spoke.mainRouteTableId,
    strangerVpc: stranger.vpcId,
    spokeAttachment: tgwAttachmentOf(cloud, spoke.vpcId)?.id ?? 'none',
    strangerAttachment,
    crossCloudPath: crossCloud,
  };
}
