import {
  AcceptTransitGatewayVpcAttachmentCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  RejectTransitGatewayVpcAttachmentCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { AwsEmulator } from '../../../../infra/local/aws';
import { normalizeAwsEvent } from '../../../../shared/events/aws';
import { createTransitGateway } from '../../../../infra/local/aws/state/transit';
import { codeOf, HUB } from './helpers';
import { REGION, SPOKE, startTransitWorld, type TransitWorld } from './transit-world';

// Issue 17: attachment lifecycle, states and error codes as EC2 spells them, and the CloudTrail events of TGW writes.
describe('EC2 emulator: Transit Gateway attachments across accounts', () => {
  let w: TransitWorld;
  let emu: AwsEmulator;
  let hub: EC2Client;
  let spoke: EC2Client;
  let tgw: string;
  const vpcWithSubnets = (account: string) => w.vpcWithSubnets(account);
  const attach = (client: EC2Client, v: { vpcId: string; subnets: string[] }) => w.attach(client, v);
  const stateOf = (client: EC2Client, id: string) => w.stateOf(client, id);

  beforeAll(async () => {
    w = await startTransitWorld();
    ({ emu, hub, spoke, tgw } = w);
  });
  afterAll(() => w.close());

  it('keeps a cross-account attachment in pendingAcceptance; the owner accepts it and it becomes available on the next call', async () => {
    const v = vpcWithSubnets(SPOKE);
    const a = await attach(spoke, v);
    expect(a).toMatchObject({ State: 'pendingAcceptance', VpcOwnerId: SPOKE, SubnetIds: v.subnets });
    expect(
      await codeOf(
        spoke.send(
          new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: a.TransitGatewayAttachmentId }),
        ),
      ),
    ).toBe('OperationNotPermitted');
    const accepted = await hub.send(
      new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: a.TransitGatewayAttachmentId }),
    );
    expect(accepted.TransitGatewayVpcAttachment?.State).toBe('pending');
    expect(await stateOf(spoke, a.TransitGatewayAttachmentId!)).toBe('available');
    expect(
      await codeOf(
        hub.send(
          new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: a.TransitGatewayAttachmentId }),
        ),
      ),
    ).toBe('IncorrectState');
  });

  it('answers DuplicateTransitGatewayAttachment, DuplicateSubnetsInSameZone and InvalidSubnetID.NotFound', async () => {
    const v = vpcWithSubnets(SPOKE);
    expect(await codeOf(attach(spoke, { vpcId: v.vpcId, subnets: [v.subnets[0]!, v.spare] }))).toBe(
      'DuplicateSubnetsInSameZone',
    );
    expect(await codeOf(attach(spoke, { vpcId: v.vpcId, subnets: ['subnet-0000000000000000f'] }))).toBe(
      'InvalidSubnetID.NotFound',
    );
    await attach(spoke, v);
    expect(await codeOf(attach(spoke, v))).toBe('DuplicateTransitGatewayAttachment');
  });

  it('auto-accepts shared attachments when the TGW says so, and a same-account attachment needs no acceptance', async () => {
    const auto = createTransitGateway(emu.state, {
      account: HUB,
      region: REGION,
      autoAcceptSharedAttachments: true,
      defaultRouteTableAssociation: false,
      defaultRouteTablePropagation: false,
    }).id;
    const v = vpcWithSubnets(SPOKE);
    const shared = await spoke.send(
      new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: auto, VpcId: v.vpcId, SubnetIds: v.subnets }),
    );
    expect(shared.TransitGatewayVpcAttachment?.State).toBe('pending');
    const own = await attach(hub, vpcWithSubnets(HUB));
    expect(own.State).toBe('pending');
    expect(await stateOf(hub, own.TransitGatewayAttachmentId!)).toBe('available');
  });

  it("rejects only pending requests, and shows the attachment to both accounts with each account's own tags", async () => {
    const v = vpcWithSubnets(SPOKE);
    const a = await spoke.send(
      new CreateTransitGatewayVpcAttachmentCommand({
        TransitGatewayId: tgw,
        VpcId: v.vpcId,
        SubnetIds: v.subnets,
        TagSpecifications: [{ ResourceType: 'transit-gateway-attachment', Tags: [{ Key: 'team', Value: 'payments' }] }],
      }),
    );
    const id = a.TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const seen = async (client: EC2Client) =>
      (
        await client.send(
          new DescribeTransitGatewayVpcAttachmentsCommand({ Filters: [{ Name: 'vpc-id', Values: [v.vpcId] }] }),
        )
      ).TransitGatewayVpcAttachments?.[0];
    expect((await seen(spoke))?.Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
    expect((await seen(hub))?.Tags).toEqual([]);
    await hub.send(new RejectTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id }));
    expect(await stateOf(spoke, id)).toBe('rejected');
    expect(
      await codeOf(hub.send(new RejectTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id }))),
    ).toBe('IncorrectState');
  });

  it('emits a CloudTrail-shaped event for each TGW write, wrapped as EC2 logs its newer APIs', () => {
    const create = emu.events.find(
      (e) => e.detail.eventName === 'CreateTransitGatewayVpcAttachment' && !e.detail.errorCode,
    )!;
    expect(create.detail.recipientAccountId).toBe(SPOKE);
    expect(create.detail.requestParameters).toMatchObject({
      CreateTransitGatewayVpcAttachmentRequest: { TransitGatewayId: tgw, VpcId: expect.stringMatching(/^vpc-/) },
    });
    expect(create.detail.responseElements).toMatchObject({
      CreateTransitGatewayVpcAttachmentResponse: {
        transitGatewayVpcAttachment: { vpcOwnerId: SPOKE, state: 'pendingAcceptance' },
      },
    });
    // The normalizer reads the emitted record: the spoke's VPC, in the spoke's account.
    const vpcId = (create.detail.requestParameters as { CreateTransitGatewayVpcAttachmentRequest: { VpcId: string } })
      .CreateTransitGatewayVpcAttachmentRequest.VpcId;
    expect(normalizeAwsEvent(create, { identities: [] })).toMatchObject({
      kind: 'work',
      trigger: { scope: { kind: 'network', network: { account: SPOKE, region: REGION, id: vpcId } } },
    });
    const failed = emu.events.find((e) => e.detail.errorCode === 'DuplicateTransitGatewayAttachment');
    expect(failed?.detail.responseElements).toBeNull();
    expect(emu.calls.of('DescribeTransitGatewayAttachments')).toBeGreaterThan(0);
    expect(emu.events.some((e) => e.detail.eventName.startsWith('Describe'))).toBe(false);
  });
});
