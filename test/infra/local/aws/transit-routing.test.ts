import {
  AssociateTransitGatewayRouteTableCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EnableTransitGatewayRouteTablePropagationCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  SearchTransitGatewayRoutesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { AwsEmulator } from '../../../../infra/local/aws';
import { codeOf, HUB } from './helpers';
import { startTransitWorld, type TransitWorld } from './transit-world';

// Issue 17: hub routing, its error codes and quotas, and SearchTransitGatewayRoutes paging.
describe('EC2 emulator: Transit Gateway route tables, associations, propagations and routes', () => {
  let w: TransitWorld;
  let emu: AwsEmulator;
  let hub: EC2Client;
  let tgw: string;
  let rt: [string, string];
  const vpcWithSubnets = (account: string) => w.vpcWithSubnets(account);
  const attach = (client: EC2Client, v: { vpcId: string; subnets: string[] }) => w.attach(client, v);
  const stateOf = (client: EC2Client, id: string) => w.stateOf(client, id);

  beforeAll(async () => {
    w = await startTransitWorld();
    ({ emu, hub, tgw, rt } = w);
  });
  afterAll(() => w.close());

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
});
