import {
  CreateTransitGatewayVpcAttachmentCommand,
  DescribeTransitGatewayAttachmentsCommand,
  type EC2Client,
  type TransitGatewayVpcAttachment,
} from '@aws-sdk/client-ec2';
import { startAwsEmulator, type AwsEmulator } from '../../../../infra/local/aws';
import { createSubnet, createTransitGateway, createTransitRouteTable } from '../../../../infra/local/aws/state/transit';
import { testClock } from '../../../support/clock';
import { ec2As, HUB } from './helpers';

export const SPOKE = '222222222222';
export const REGION = 'us-east-1';

/** An emulator with a TGW (two route tables, no defaults) in the hub account, and SDK clients of both accounts. */
export interface TransitWorld {
  emu: AwsEmulator;
  hub: EC2Client;
  spoke: EC2Client;
  tgw: string;
  rt: [string, string];
  /** A VPC of `account` with one subnet in each of two zones (and a spare in the first zone). */
  vpcWithSubnets(account: string): { vpcId: string; subnets: string[]; spare: string };
  /** CreateTransitGatewayVpcAttachment of the VPC to the TGW, as `client`. */
  attach(client: EC2Client, v: { vpcId: string; subnets: string[] }): Promise<TransitGatewayVpcAttachment>;
  /** The attachment's state as `client` sees it. */
  stateOf(client: EC2Client, id: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function startTransitWorld(): Promise<TransitWorld> {
  const emu = await startAwsEmulator({ hubAccount: HUB, now: testClock().now });
  const tgw = createTransitGateway(emu.state, {
    account: HUB,
    region: REGION,
    defaultRouteTableAssociation: false,
    defaultRouteTablePropagation: false,
  }).id;
  const rt: [string, string] = [
    createTransitRouteTable(emu.state, { transitGatewayId: tgw }).id,
    createTransitRouteTable(emu.state, { transitGatewayId: tgw }).id,
  ];
  const hub = await ec2As(emu, HUB, REGION);
  const spoke = await ec2As(emu, SPOKE, REGION);
  let counter = 0;
  return {
    emu,
    hub,
    spoke,
    tgw,
    rt,
    vpcWithSubnets: (account) => {
      counter += 1;
      const vpc = emu.state.createVpc({ account, region: REGION, cidr: `10.${counter}.0.0/16` });
      const [a, b, spare] = [`${REGION}a`, `${REGION}b`, `${REGION}a`].map(
        (zone, i) =>
          createSubnet(emu.state, { vpcId: vpc.vpcId, availabilityZone: zone, cidr: `10.${counter}.${i}.0/24` }).id,
      );
      return { vpcId: vpc.vpcId, subnets: [a!, b!], spare: spare! };
    },
    attach: async (client, v) =>
      (
        await client.send(
          new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: v.vpcId, SubnetIds: v.subnets }),
        )
      ).TransitGatewayVpcAttachment!,
    stateOf: async (client, id) =>
      (await client.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [id] })))
        .TransitGatewayAttachments?.[0]?.State,
    close: async () => {
      hub.destroy();
      spoke.destroy();
      await emu.close();
    },
  };
}
