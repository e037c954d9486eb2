import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateRouteCommand,
  CreateTagsCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteRouteCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { normalizeAwsEvent } from '../../../../shared/events/aws';
import { startAwsEmulator, type AwsEmulator, type EventBridgeEvent } from '../../../../infra/local/aws';
import { codeOf, ec2As, HUB } from './helpers';

const FIXTURES = join(__dirname, '../../../fixtures/aws-ec2');
const SPOKE = '222222222222';

/** Key paths of a JSON value (objects only), e.g. `detail.userIdentity.sessionContext.sessionIssuer.arn`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

describe('every mutating EC2 call emits the EventBridge "AWS API Call via CloudTrail" event', () => {
  let emu: AwsEmulator;
  let spoke: EC2Client;
  const received: EventBridgeEvent[] = [];
  beforeAll(async () => {
    emu = await startAwsEmulator({ onEvent: (e) => received.push(e) });
    spoke = await ec2As(emu, SPOKE, 'us-east-2');
  });
  afterAll(async () => {
    spoke.destroy();
    await emu.close();
  });

  it('CreateRoute by an assumed role: envelope and record keys as the documented igw example, userIdentity as an AssumedRole record', async () => {
    const vpc = emu.state.createVpc({ account: SPOKE, region: 'us-east-2', cidr: '10.0.0.0/16' });
    await spoke.send(
      new CreateRouteCommand({
        RouteTableId: vpc.mainRouteTableId,
        DestinationCidrBlock: '192.1.0.0/16',
        GatewayId: 'igw-xxx',
      }),
    );
    const event = received.at(-1)!;
    const documented = JSON.parse(
      readFileSync(join(FIXTURES, 'aws-ec2-CreateRoute-eventbridge-igw.json'), 'utf8'),
    ) as EventBridgeEvent;
    const assumedRecord = JSON.parse(
      readFileSync(join(FIXTURES, 'aws-cloudtrail-CreateRoute-record-panther.json'), 'utf8'),
    ) as Record<string, unknown>;
    // Same keys as the vendor examples, minus the IAM-user-only ones (userName, mfa) that an assumed role does not carry.
    const ours = new Set(keyPaths(event));
    const expected = keyPaths(documented).filter(
      (k) => !/userIdentity\.(userName|sessionContext\.(webIdFederationData|attributes\.mfaAuthenticated))$/.test(k),
    );
    expect(
      expected.filter((k) => !ours.has(k) && !k.startsWith('detail.userIdentity.sessionContext.sessionIssuer')),
    ).toEqual([]);
    const recordKeys = new Set(keyPaths(event.detail));
    // The Panther record is synthetic and spells responseElements.requestID; the AWS-authored event spells requestId.
    expect(
      keyPaths(assumedRecord).filter(
        (k) => !recordKeys.has(k) && !k.endsWith('mfaAuthenticated') && k !== 'responseElements.requestID',
      ),
    ).toEqual([]);
    expect(event).toMatchObject({
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.ec2',
      account: SPOKE,
      region: 'us-east-2',
      detail: {
        eventName: 'CreateRoute',
        eventSource: 'ec2.amazonaws.com',
        awsRegion: 'us-east-2',
        eventType: 'AwsApiCall',
        recipientAccountId: SPOKE,
        userIdentity: {
          type: 'AssumedRole',
          accountId: SPOKE,
          arn: `arn:aws:sts::${SPOKE}:assumed-role/peerkeeper-member/test`,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              arn: `arn:aws:iam::${SPOKE}:role/peerkeeper-member`,
              userName: 'peerkeeper-member',
            },
          },
        },
        requestParameters: { ...documented.detail.requestParameters, routeTableId: vpc.mainRouteTableId },
        responseElements: { _return: true },
      },
    });
    expect(event.detail.responseElements).toEqual({ requestId: event.detail.requestID, _return: true });
  });

  it('CreateTags: resourcesSet and tagSet as CloudTrail writes them, which the normalizer reads as work on that VPC', async () => {
    const vpc = emu.state.createVpc({ account: SPOKE, region: 'us-east-2', cidr: '10.9.0.0/16' });
    await spoke.send(
      new CreateTagsCommand({ Resources: [vpc.vpcId], Tags: [{ Key: 'peerkeeper/role', Value: 'spoke' }] }),
    );
    const event = received.at(-1)!;
    expect(event.detail.requestParameters).toEqual({
      resourcesSet: { items: [{ resourceId: vpc.vpcId }] },
      tagSet: { items: [{ key: 'peerkeeper/role', value: 'spoke' }] },
    });
    expect(emu.state.vpc(vpc.vpcId).tags).toMatchObject({ 'peerkeeper/role': 'spoke' });
    const human = {
      ...event,
      detail: {
        ...event.detail,
        userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${SPOKE}:user/alice`, accountId: SPOKE },
      },
    };
    const outcome = normalizeAwsEvent(human, { identities: [] });
    expect(outcome).toMatchObject({
      kind: 'work',
      trigger: { scope: { kind: 'network', network: { account: SPOKE, region: 'us-east-2', id: vpc.vpcId } } },
    });
  });

  it.each([
    {
      reason: "a peering carries each account's own tags: the tagger sees them, the other side does not",
      tagger: 'accepter',
      expected: 'ok',
    },
    { reason: 'an unknown resource id is refused as EC2 refuses it', tagger: 'bogus', expected: 'InvalidID' },
    { reason: 'a VPC of another account cannot be tagged', tagger: 'other-vpc', expected: 'InvalidVpcID.NotFound' },
  ])('CreateTags: $reason', async ({ tagger, expected }) => {
    const hub = new EC2Client({
      endpoint: emu.url,
      region: 'us-east-2',
      credentials: { accessKeyId: 'AKIAHUB', secretAccessKey: 's' },
      maxAttempts: 1,
    });
    try {
      const h = emu.state.createVpc({ account: HUB, region: 'us-east-2', cidr: '10.21.0.0/16' });
      const sp = emu.state.createVpc({ account: SPOKE, region: 'us-east-2', cidr: '10.22.0.0/16' });
      const created = await spoke.send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: sp.vpcId,
          PeerVpcId: h.vpcId,
          PeerOwnerId: HUB,
          TagSpecifications: [
            { ResourceType: 'vpc-peering-connection', Tags: [{ Key: 'peerkeeper:managed', Value: 'true' }] },
          ],
        }),
      );
      const id = created.VpcPeeringConnection!.VpcPeeringConnectionId!;
      const resource = tagger === 'accepter' ? id : tagger === 'bogus' ? 'sg-0123456789abcdef0' : sp.vpcId;
      const code = await codeOf(
        hub.send(
          new CreateTagsCommand({
            Resources: [resource],
            Tags: [{ Key: 'peerkeeper:connection', Value: 'spokes-to-hub' }],
          }),
        ),
      );
      expect(code === 'no error' ? 'ok' : code).toBe(expected);
      if (expected !== 'ok') return;
      const seen = async (client: EC2Client) =>
        (await client.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] })))
          .VpcPeeringConnections?.[0]?.Tags;
      expect(await seen(hub)).toEqual([{ Key: 'peerkeeper:connection', Value: 'spokes-to-hub' }]);
      expect(await seen(spoke)).toEqual([{ Key: 'peerkeeper:managed', Value: 'true' }]);
    } finally {
      hub.destroy();
    }
  });

  it('CreateVpcPeeringConnection: tagSpecificationSet in requestParameters, vpcPeeringConnection in responseElements', async () => {
    const hub = new EC2Client({
      endpoint: emu.url,
      region: 'us-east-2',
      credentials: { accessKeyId: 'AKIAHUB', secretAccessKey: 's' },
      maxAttempts: 1,
    });
    const h = emu.state.createVpc({ account: HUB, region: 'us-east-2', cidr: '10.1.0.0/16' });
    const s = emu.state.createVpc({ account: SPOKE, region: 'us-east-2', cidr: '10.2.0.0/16' });
    const out = await hub.send(
      new CreateVpcPeeringConnectionCommand({
        VpcId: h.vpcId,
        PeerVpcId: s.vpcId,
        PeerOwnerId: SPOKE,
        TagSpecifications: [
          { ResourceType: 'vpc-peering-connection', Tags: [{ Key: 'peerkeeper:managed', Value: 'true' }] },
        ],
      }),
    );
    hub.destroy();
    const event = received.at(-1)!;
    expect(event.detail.userIdentity).toMatchObject({ type: 'IAMUser', accountId: HUB });
    expect(event.detail.requestParameters).toEqual({
      vpcId: h.vpcId,
      peerVpcId: s.vpcId,
      peerOwnerId: SPOKE,
      tagSpecificationSet: {
        items: [{ resourceType: 'vpc-peering-connection', tags: [{ key: 'peerkeeper:managed', value: 'true' }] }],
      },
    });
    expect(event.detail.responseElements).toMatchObject({
      vpcPeeringConnection: {
        vpcPeeringConnectionId: out.VpcPeeringConnection!.VpcPeeringConnectionId,
        status: { code: 'initiating-request' },
        accepterVpcInfo: { ownerId: SPOKE, vpcId: s.vpcId },
        tagSet: { items: [{ key: 'peerkeeper:managed', value: 'true' }] },
      },
    });
  });

  it('a failed call is recorded with errorCode and errorMessage and no responseElements; reads emit nothing', async () => {
    const before = received.length;
    const vpc = emu.state.createVpc({ account: SPOKE, region: 'us-east-2', cidr: '10.3.0.0/16' });
    expect(
      await codeOf(
        spoke.send(new DeleteRouteCommand({ RouteTableId: vpc.mainRouteTableId, DestinationCidrBlock: '10.9.0.0/16' })),
      ),
    ).toBe('InvalidRoute.NotFound');
    expect(received.length).toBe(before + 1);
    expect(received.at(-1)!.detail).toMatchObject({
      eventName: 'DeleteRoute',
      errorCode: 'InvalidRoute.NotFound',
      responseElements: null,
    });
    expect(emu.events).toEqual(received);
  });
});
