import {
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand,
  DeleteTransitGatewayRouteCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
} from '@aws-sdk/client-ec2';
import {
  seedInterconnectAttachment,
  seedSubnets,
  seedTransitHub,
  seedVpcAttachment,
  startAwsEmulator,
  type AwsEmulator,
} from '../../../infra/local/aws';
import type { Action, AttachmentRouting, NetworkRef, TransitHubRef } from '../../../shared/model';
import { AwsPeeringAdapter } from '../../../shared/providers/aws';
import { testClock } from '../../support/clock';
import { checkEc2Response } from './aws-model';
import { startRecorder } from './recorder';

// Issue 17: every Transit Gateway response the emulator gives the adapter (and the seeding calls a network team
// makes), element by element, against EC2's own model as @aws-sdk/client-ec2 ships it.
const HUB = '111111111111';
const SPOKE = '222222222222';
const REGION = 'us-east-1';
const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };
const MANAGED = { 'peerkeeper:managed': 'true' };
const base = { cloud: 'aws' as const, reason: 'vendor model' };

describe("Transit Gateway responses against @aws-sdk/client-ec2's model", () => {
  const clock = testClock();
  let emu: AwsEmulator;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
    recorder = await startRecorder(emu.url);
    const s = emu.state;
    s.setRole(SPOKE, { roleName: 'peerkeeper-member' });
    const { transitGatewayId, routeTableIds } = seedTransitHub(s, {
      account: HUB,
      region: REGION,
      routeTables: ['a', 'b'],
    });
    const [rt0, rt1] = routeTableIds as [string, string];
    const vpn = seedInterconnectAttachment(s, {
      transitGatewayId,
      resourceType: 'vpn',
      cidrs: ['192.168.0.0/16'],
      propagations: [rt0],
    });
    const vpcOf = (account: string, cidr: string): NetworkRef => {
      const v = s.createVpc({ account, region: REGION, cidr });
      seedSubnets(s, v.vpcId, 2);
      return { cloud: 'aws', account, region: REGION, id: v.vpcId };
    };
    const hub: TransitHubRef = { cloud: 'aws', account: HUB, region: REGION, id: transitGatewayId };
    const spoke = vpcOf(SPOKE, '10.1.0.0/16');
    const foreign = vpcOf(SPOKE, '10.2.0.0/16');
    const foreignId = seedVpcAttachment(s, { transitGatewayId, vpcId: foreign.id, state: 'pendingAcceptance' }).id;
    const adapter = new AwsPeeringAdapter({
      roleName: 'peerkeeper-member',
      regions: [REGION],
      transit: true,
      allowedAccounts: new Set([HUB, SPOKE]),
      hubAccount: HUB,
      endpoint: recorder.url,
      credentials: STATIC,
      backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    let id = '';
    const ctx = () => ({ now: clock.now(), deadline: Date.now() + 10_000, resolvePeeringId: () => id || undefined });
    const routing = (table: string): AttachmentRouting => ({ association: table, propagations: [table] });
    const partitions = [HUB, SPOKE].map((account) => ({ cloud: 'aws' as const, account, region: REGION }));
    const actions: (() => Action)[] = [
      () => ({
        ...base,
        action: 'create-attachment',
        target: { hub, network: spoke },
        after: { routing: routing(rt0), tags: MANAGED },
      }),
      () => ({
        ...base,
        action: 'accept-attachment',
        target: { id, hub, network: spoke },
        after: { routing: routing(rt0), tags: MANAGED },
      }),
      () => ({
        ...base,
        action: 'update-attachment',
        target: { id, hub, network: spoke },
        before: routing(rt0),
        after: routing(rt1),
      }),
      () => ({ ...base, action: 'reject-attachment', target: { id: foreignId, hub, network: foreign } }),
    ];
    for (const next of actions) {
      const outcome = await adapter.apply(next(), ctx());
      expect(outcome.status).toBe('done');
      if (outcome.peeringId && !id) id = outcome.peeringId;
    }
    const observed = await adapter.observe(partitions);
    const before = observed.attachments!.find((a) => a.id === id)!;
    expect(
      (
        await adapter.apply(
          { ...base, action: 'delete-attachment', target: { id, hub, network: spoke }, before },
          ctx(),
        )
      ).status,
    ).toBe('done');
    adapter.close();
    // What a network team does by hand (and the contract seeds through the state): the same responses over the wire.
    const client = new EC2Client({ endpoint: recorder.url, region: REGION, credentials: STATIC, maxAttempts: 1 });
    const made = await client.send(new CreateTransitGatewayCommand({}));
    const table = await client.send(
      new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: made.TransitGateway!.TransitGatewayId }),
    );
    await client.send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: rt1,
        DestinationCidrBlock: '172.16.0.0/12',
        TransitGatewayAttachmentId: vpn.id,
      }),
    );
    await client.send(
      new DeleteTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rt1, DestinationCidrBlock: '172.16.0.0/12' }),
    );
    await client.send(new DescribeTransitGatewaysCommand({}));
    await client.send(new DescribeTransitGatewayVpcAttachmentsCommand({}));
    await client.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: rt0 }));
    const handMade = seedVpcAttachment(s, {
      transitGatewayId,
      vpcId: vpcOf(HUB, '10.3.0.0/16').id,
      state: 'available',
    });
    handMade.association = rt0;
    await client.send(
      new DisassociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: rt0,
        TransitGatewayAttachmentId: handMade.id,
      }),
    );
    expect(table.TransitGatewayRouteTable?.TransitGatewayRouteTableId).toMatch(/^tgw-rtb-/);
    client.destroy();
  });
  afterAll(async () => {
    await recorder.close();
    await emu.close();
  });

  const ec2Calls = () =>
    recorder.exchanges
      .map((e) => ({ ...e, action: new URLSearchParams(String(e.requestBody ?? '')).get('Action') ?? '' }))
      .filter((e) => e.status < 400 && e.action !== '' && e.action !== 'AssumeRole');

  it('drives every Transit Gateway action the adapter uses, and the ones a network team uses to seed', () => {
    const actions = new Set(ec2Calls().map((e) => e.action));
    for (const action of [
      'AcceptTransitGatewayVpcAttachment',
      'AssociateTransitGatewayRouteTable',
      'CreateTags',
      'CreateTransitGateway',
      'CreateTransitGatewayRoute',
      'CreateTransitGatewayRouteTable',
      'CreateTransitGatewayVpcAttachment',
      'DeleteTransitGatewayRoute',
      'DeleteTransitGatewayVpcAttachment',
      'DescribeSubnets',
      'DescribeTransitGatewayAttachments',
      'DescribeTransitGatewayRouteTables',
      'DescribeTransitGateways',
      'DescribeTransitGatewayVpcAttachments',
      'DisableTransitGatewayRouteTablePropagation',
      'DisassociateTransitGatewayRouteTable',
      'EnableTransitGatewayRouteTablePropagation',
      'GetTransitGatewayAttachmentPropagations',
      'GetTransitGatewayRouteTableAssociations',
      'GetTransitGatewayRouteTablePropagations',
      'RejectTransitGatewayVpcAttachment',
      'SearchTransitGatewayRoutes',
    ])
      expect(actions).toContain(action);
  });

  it("answers with no element EC2's model does not have, and every scalar of its type", () => {
    expect(ec2Calls().flatMap((e) => checkEc2Response(e.action, String(e.responseBody)))).toEqual([]);
  });

  it('would catch an element EC2 does not have, as a subnetId where the model has subnetIds', () => {
    const vpc = ec2Calls().find((e) => e.action === 'CreateTransitGatewayVpcAttachment')!;
    const mutated = String(vpc.responseBody).replace('<subnetIds>', '<subnetId>subnet-1</subnetId><subnetIds>');
    expect(checkEc2Response('CreateTransitGatewayVpcAttachment', mutated)).toContainEqual(
      expect.stringMatching(/transitGatewayVpcAttachment\/subnetId: not in TransitGatewayVpcAttachment$/),
    );
  });
});
