import {
  AcceptTransitGatewayVpcAttachmentCommand,
  AssociateTransitGatewayRouteTableCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EnableTransitGatewayRouteTablePropagationCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  RejectTransitGatewayVpcAttachmentCommand,
  SearchTransitGatewayRoutesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { startAwsEmulator, type AwsEmulator } from '../../../../infra/local/aws';
import { normalizeAwsEvent } from '../../../../shared/events/aws';
import { createSubnet, createTransitGateway, createTransitRouteTable } from '../../../../infra/local/aws/state/transit';
import { testClock } from '../../../support/clock';
import { codeOf, ec2As, HUB } from './helpers';

// Issue 17: the Transit Gateway subset, its states and error codes as EC2 spells them, across two accounts.
const SPOKE = '222222222222';
const REGION = 'us-east-1';

describe('EC2 emulator: Transit Gateway attachments, route tables and routes', () => {
  let emu: AwsEmulator;
  let hub: EC2Client;
  let spoke: EC2Client;
  let tgw: string;
  let rt: [string, string];
  let counter = 0;
  /** A VPC of `account` with one subnet in each of two zones (and a spare in the first zone). */
  const vpcWithSubnets = (account: string) => {
    counter += 1;
    const vpc = emu.state.createVpc({ account, region: REGION, cidr: `10.${counter}.0.0/16` });
    const [a, b, spare] = [`${REGION}a`, `${REGION}b`, `${REGION}a`].map(
      (zone, i) =>
        createSubnet(emu.state, { vpcId: vpc.vpcId, availabilityZone: zone, cidr: `10.${counter}.${i}.0/24` }).id,
    );
    return { vpcId: vpc.vpcId, subnets: [a!, b!], spare: spare! };
  };
  const attach = async (client: EC2Client, v: { vpcId: string; subnets: string[] }) =>
    (
      await client.send(
        new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: v.vpcId, SubnetIds: v.subnets }),
      )
    ).TransitGatewayVpcAttachment!;
  const stateOf = async (client: EC2Client, id: string) =>
    (await client.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [id] })))
      .TransitGatewayAttachments?.[0]?.State;

  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB, now: testClock().now });
    tgw = createTransitGateway(emu.state, {
      account: HUB,
      region: REGION,
      defaultRouteTableAssociation: false,
      defaultRouteTablePropagation: false,
    }).id;
    rt = [
      createTransitRouteTable(emu.state, { transitGatewayId: tgw }).id,
      createTransitRouteTable(emu.state, { transitGatewayId: tgw }).id,
    ];
    hub = await ec2As(emu, HUB, REGION);
    spoke = await ec2As(emu, SPOKE, REGION);
  });
  afterAll(async () => {
    hub.destroy();
    spoke.destroy();
    await emu.close();
  });

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

  it('associates once (Resource.AlreadyAssociated), propagates once (…Propagation.Duplicate), and refuses routing while pending (IncorrectState)', async () => {
    const v = vpcWithSubnets(HUB);
    emu.state.transit.settleCalls = 100;
    const pending = await attach(hub, v);
    const id = pending.TransitGatewayAttachmentId!;
    expect(
      await codeOf(
        hub.send(
          new AssociateTransitGatewayRouteTableCommand({
            TransitGatewayRouteTableId: rt[0],
            TransitGatewayAttachmentId: id,
          }),
        ),
      ),
    ).toBe('IncorrectState');
    emu.state.transit.settleCalls = 1;
    emu.state.transit.attachments.get(id)!.settleIn = 1;
    const assoc = await hub.send(
      new AssociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: rt[0],
        TransitGatewayAttachmentId: id,
      }),
    );
    expect(assoc.Association).toMatchObject({ State: 'associating', ResourceId: v.vpcId, ResourceType: 'vpc' });
    expect(
      await codeOf(
        hub.send(
          new AssociateTransitGatewayRouteTableCommand({
            TransitGatewayRouteTableId: rt[1],
            TransitGatewayAttachmentId: id,
          }),
        ),
      ),
    ).toBe('Resource.AlreadyAssociated');
    expect(
      await codeOf(
        hub.send(
          new DisassociateTransitGatewayRouteTableCommand({
            TransitGatewayRouteTableId: rt[1],
            TransitGatewayAttachmentId: id,
          }),
        ),
      ),
    ).toBe('InvalidAssociation.NotFound');
    await hub.send(
      new EnableTransitGatewayRouteTablePropagationCommand({
        TransitGatewayRouteTableId: rt[0],
        TransitGatewayAttachmentId: id,
      }),
    );
    expect(
      await codeOf(
        hub.send(
          new EnableTransitGatewayRouteTablePropagationCommand({
            TransitGatewayRouteTableId: rt[0],
            TransitGatewayAttachmentId: id,
          }),
        ),
      ),
    ).toBe('TransitGatewayRouteTablePropagation.Duplicate');
    const associations = await hub.send(
      new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: rt[0] }),
    );
    expect(associations.Associations?.map((x) => x.TransitGatewayAttachmentId)).toContain(id);
    const propagations = await hub.send(
      new GetTransitGatewayRouteTablePropagationsCommand({ TransitGatewayRouteTableId: rt[0] }),
    );
    expect(
      propagations.TransitGatewayRouteTablePropagations?.find((x) => x.TransitGatewayAttachmentId === id)?.State,
    ).toBe('enabled');
    const routes = await hub.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: rt[0],
        Filters: [{ Name: 'type', Values: ['propagated'] }],
      }),
    );
    expect(routes.Routes).toContainEqual(
      expect.objectContaining({
        DestinationCidrBlock: emu.state.vpc(v.vpcId).ipv4[0]!.cidr,
        Type: 'propagated',
        State: 'active',
      }),
    );
  });

  it('shows static and propagated routes; a static route turns blackhole when its attachment is deleted, the propagated one goes', async () => {
    const v = vpcWithSubnets(HUB);
    const id = (await attach(hub, v)).TransitGatewayAttachmentId!;
    await hub.send(
      new EnableTransitGatewayRouteTablePropagationCommand({
        TransitGatewayRouteTableId: rt[1],
        TransitGatewayAttachmentId: id,
      }),
    );
    const cidr = emu.state.vpc(v.vpcId).ipv4[0]!.cidr;
    await hub.send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: rt[1],
        DestinationCidrBlock: '192.168.0.0/16',
        TransitGatewayAttachmentId: id,
      }),
    );
    expect(
      await codeOf(
        hub.send(
          new CreateTransitGatewayRouteCommand({
            TransitGatewayRouteTableId: rt[1],
            DestinationCidrBlock: '192.168.0.0/16',
            Blackhole: true,
          }),
        ),
      ),
    ).toBe('RouteAlreadyExists');
    const search = () =>
      hub.send(
        new SearchTransitGatewayRoutesCommand({
          TransitGatewayRouteTableId: rt[1],
          Filters: [{ Name: 'type', Values: ['static', 'propagated'] }],
        }),
      );
    expect((await search()).Routes?.map((r) => [r.DestinationCidrBlock, r.Type, r.State])).toEqual(
      expect.arrayContaining([
        ['192.168.0.0/16', 'static', 'active'],
        [cidr, 'propagated', 'active'],
      ]),
    );
    await hub.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id }));
    const after = (await search()).Routes?.map((r) => [r.DestinationCidrBlock, r.Type, r.State]);
    expect(after).toContainEqual(['192.168.0.0/16', 'static', 'blackhole']);
    expect(after).not.toContainEqual([cidr, 'propagated', 'active']);
    expect(await stateOf(hub, id)).toBe('deleted');
    expect(
      await codeOf(hub.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id }))),
    ).toBe('InvalidTransitGatewayAttachmentID.NotFound');
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

  it('pages SearchTransitGatewayRoutes: AdditionalRoutesAvailable with a NextToken, or without one as older EC2 answered', async () => {
    const table = (await hub.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw })))
      .TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
    for (let i = 0; i < 7; i++)
      await hub.send(
        new CreateTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: table,
          DestinationCidrBlock: `172.16.${i}.0/24`,
          Blackhole: true,
        }),
      );
    const first = await hub.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: table,
        Filters: [{ Name: 'type', Values: ['static'] }],
        MaxResults: 5,
      }),
    );
    expect(first).toMatchObject({ AdditionalRoutesAvailable: true, NextToken: expect.any(String) });
    const rest = await hub.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: table,
        Filters: [{ Name: 'type', Values: ['static'] }],
        MaxResults: 5,
        NextToken: first.NextToken,
      }),
    );
    expect([...first.Routes!, ...rest.Routes!]).toHaveLength(7);
    expect(rest.AdditionalRoutesAvailable).toBe(false);
    emu.state.transit.routeSearchPages = false;
    const legacy = await hub.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: table,
        Filters: [{ Name: 'type', Values: ['static'] }],
        MaxResults: 5,
      }),
    );
    emu.state.transit.routeSearchPages = true;
    expect(legacy.AdditionalRoutesAvailable).toBe(true);
    expect(legacy.NextToken).toBeUndefined();
    expect(
      await codeOf(hub.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: table, Filters: [] }))),
    ).toBe('MissingParameter');
  });

  it('creates TGWs and route tables over the API, with EC2 defaults (a default route table) unless disabled, up to the quota', async () => {
    const made = await hub.send(new CreateTransitGatewayCommand({}));
    expect(made.TransitGateway?.Options).toMatchObject({
      DefaultRouteTableAssociation: 'enable',
      AssociationDefaultRouteTableId: expect.stringMatching(/^tgw-rtb-/),
    });
    emu.state.transit.quotas.transitGatewaysPerAccount = 1;
    expect(await codeOf(hub.send(new CreateTransitGatewayCommand({})))).toBe('TransitGatewayLimitExceeded');
    emu.state.transit.quotas.transitGatewaysPerAccount = 5;
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
    expect(emu.calls.of('SearchTransitGatewayRoutes')).toBeGreaterThan(0);
    expect(emu.events.some((e) => e.detail.eventName === 'SearchTransitGatewayRoutes')).toBe(false);
  });
});
