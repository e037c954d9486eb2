import { normalizeAwsEvent, WATCHED_EC2_CALLS } from '../../../shared/events/aws';
import type { Scope, TriggerKind } from '../../../shared/model';
import { expectWork, loadFixture, type Json } from '../fixtures';

// Transit Gateway calls (issue 17). The envelope is the vendor CreateRoute event and the record the panther one
// (test/fixtures/aws); requestParameters / responseElements follow the shape CloudTrail documents for EC2's newer
// APIs, the TGW ones among them: the request wrapped in `<Action>Request` with the Query API's own (Pascal) names and
// lists as `{ tag, content }`, the response in `<Action>Response` with the XML element names (camel case).
const opts = { identities: ['arn:aws:iam::*:role/peerkeeper-executor'] };
const OWNER = '123456789012';
const SPOKE = '210987654321';
const REGION = 'us-west-2';

function tgwEvent(eventName: string, request: Json, response: Json | null, actor?: string): Json {
  const event = loadFixture('aws-ec2-CreateRoute-eventbridge-igw.json');
  const record = loadFixture('aws-cloudtrail-CreateRoute-record-panther.json');
  event.detail = {
    ...record,
    eventName,
    requestParameters: { [`${eventName}Request`]: request },
    responseElements: response && {
      [`${eventName}Response`]: { xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/', requestId: 'r-1', ...response },
    },
    ...(actor ? { userIdentity: { ...record.userIdentity, arn: actor } } : {}),
  };
  return event;
}

const attachment = (state: string) => ({
  transitGatewayVpcAttachment: {
    transitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60718',
    transitGatewayId: 'tgw-0262a0e521EXAMPLE',
    vpcId: 'vpc-07e8ffd50fEXAMPLE',
    vpcOwnerId: SPOKE,
    state,
    subnetIds: { item: 'subnet-0b7ab6f5dfEXAMPLE' },
    creationTime: '2019-07-10T17:33:46.000Z',
  },
});
const spokeNetwork = (account: string): Scope => ({
  kind: 'network',
  network: { cloud: 'aws', account, region: REGION, id: 'vpc-07e8ffd50fEXAMPLE' },
});
const ownerRegion: Scope = { kind: 'account', cloud: 'aws', account: OWNER, region: REGION };
const link = {
  TransitGatewayRouteTableId: 'tgw-rtb-0a823edbdeEXAMPLE',
  TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60718',
};
const linkResponse = (key: 'association' | 'propagation', state: string) => ({
  [key]: {
    transitGatewayRouteTableId: link.TransitGatewayRouteTableId,
    transitGatewayAttachmentId: link.TransitGatewayAttachmentId,
    resourceId: 'vpc-07e8ffd50fEXAMPLE',
    resourceType: 'vpc',
    state,
  },
});

describe('normalizeAwsEvent: Transit Gateway calls', () => {
  const cases: Record<string, { reason: string; event: () => Json; scope: Scope; kind: TriggerKind }> = {
    CreateTransitGatewayVpcAttachment: {
      reason: 'made by the VPC owner (the recipient account): its network, whose reconcile reads the hub',
      event: () =>
        tgwEvent(
          'CreateTransitGatewayVpcAttachment',
          {
            TransitGatewayId: 'tgw-0262a0e521EXAMPLE',
            VpcId: 'vpc-07e8ffd50fEXAMPLE',
            SubnetIds: { tag: 1, content: 'subnet-0b7ab6f5dfEXAMPLE' },
          },
          { transitGatewayVpcAttachment: { ...attachment('pending').transitGatewayVpcAttachment, vpcOwnerId: OWNER } },
        ),
      scope: spokeNetwork(OWNER),
      kind: 'network',
    },
    AcceptTransitGatewayVpcAttachment: {
      reason: 'the owner accepts; the response names the spoke VPC and its account',
      event: () =>
        tgwEvent(
          'AcceptTransitGatewayVpcAttachment',
          { TransitGatewayAttachmentId: link.TransitGatewayAttachmentId },
          attachment('pending'),
        ),
      scope: spokeNetwork(SPOKE),
      kind: 'network',
    },
    RejectTransitGatewayVpcAttachment: {
      reason: 'a rejected request may be one the policy wants',
      event: () =>
        tgwEvent(
          'RejectTransitGatewayVpcAttachment',
          { TransitGatewayAttachmentId: link.TransitGatewayAttachmentId },
          attachment('rejecting'),
        ),
      scope: spokeNetwork(SPOKE),
      kind: 'network',
    },
    DeleteTransitGatewayVpcAttachment: {
      reason: 'a deleted managed attachment is drift',
      event: () =>
        tgwEvent(
          'DeleteTransitGatewayVpcAttachment',
          { TransitGatewayAttachmentId: link.TransitGatewayAttachmentId },
          attachment('deleting'),
        ),
      scope: spokeNetwork(SPOKE),
      kind: 'network',
    },
    ModifyTransitGatewayVpcAttachment: {
      reason: 'subnets or options changed on the spoke',
      event: () =>
        tgwEvent(
          'ModifyTransitGatewayVpcAttachment',
          {
            TransitGatewayAttachmentId: link.TransitGatewayAttachmentId,
            AddSubnetIds: { tag: 1, content: 'subnet-1' },
          },
          attachment('modifying'),
        ),
      scope: spokeNetwork(SPOKE),
      kind: 'network',
    },
    'ModifyTransitGatewayVpcAttachment without a response': {
      reason: 'nothing names the VPC: re-check the region of the account that made the call',
      event: () =>
        tgwEvent(
          'ModifyTransitGatewayVpcAttachment',
          { TransitGatewayAttachmentId: link.TransitGatewayAttachmentId },
          null,
        ),
      scope: ownerRegion,
      kind: 'network',
    },
    AssociateTransitGatewayRouteTable: {
      reason: 'the response names the attachment resource, not its account: re-check the owner region',
      event: () => tgwEvent('AssociateTransitGatewayRouteTable', link, linkResponse('association', 'associating')),
      scope: ownerRegion,
      kind: 'route',
    },
    DisassociateTransitGatewayRouteTable: {
      reason: 'a managed association removed is drift',
      event: () =>
        tgwEvent('DisassociateTransitGatewayRouteTable', link, linkResponse('association', 'disassociating')),
      scope: ownerRegion,
      kind: 'route',
    },
    EnableTransitGatewayRouteTablePropagation: {
      reason: 'a propagation changes what a hub table routes',
      event: () => tgwEvent('EnableTransitGatewayRouteTablePropagation', link, linkResponse('propagation', 'enabling')),
      scope: ownerRegion,
      kind: 'route',
    },
    DisableTransitGatewayRouteTablePropagation: {
      reason: 'a managed propagation removed is drift',
      event: () =>
        tgwEvent('DisableTransitGatewayRouteTablePropagation', link, linkResponse('propagation', 'disabling')),
      scope: ownerRegion,
      kind: 'route',
    },
    CreateTransitGatewayRoute: {
      reason: 'a static hub route may conflict with a spoke range',
      event: () =>
        tgwEvent(
          'CreateTransitGatewayRoute',
          { ...link, DestinationCidrBlock: '10.0.2.0/24' },
          { route: { destinationCidrBlock: '10.0.2.0/24', type: 'static', state: 'active' } },
        ),
      scope: ownerRegion,
      kind: 'route',
    },
    DeleteTransitGatewayRoute: {
      reason: 'a static hub route removed',
      event: () =>
        tgwEvent(
          'DeleteTransitGatewayRoute',
          { TransitGatewayRouteTableId: link.TransitGatewayRouteTableId, DestinationCidrBlock: '10.0.2.0/24' },
          { route: { destinationCidrBlock: '10.0.2.0/24', type: 'static', state: 'deleted' } },
        ),
      scope: ownerRegion,
      kind: 'route',
    },
    ReplaceTransitGatewayRoute: {
      reason: 'a static hub route pointed elsewhere',
      event: () =>
        tgwEvent(
          'ReplaceTransitGatewayRoute',
          { ...link, DestinationCidrBlock: '10.0.2.0/24' },
          { route: { destinationCidrBlock: '10.0.2.0/24', type: 'static', state: 'active' } },
        ),
      scope: ownerRegion,
      kind: 'route',
    },
  };

  it.each(Object.entries(cases))('%s: %s', (_name, c) => {
    const trigger = expectWork(normalizeAwsEvent(c.event(), opts));
    expect(trigger).toMatchObject({ scope: c.scope, kind: c.kind, source: c.event().detail.eventName });
  });

  it('watches every Transit Gateway call it normalizes (so the EventBridge rules forward them)', () => {
    expect(WATCHED_EC2_CALLS).toEqual(expect.arrayContaining(Object.keys(cases).filter((k) => !k.includes(' '))));
  });

  it("ignores peerkeeper's own TGW calls and failed ones", () => {
    const own = tgwEvent(
      'AcceptTransitGatewayVpcAttachment',
      { TransitGatewayAttachmentId: 'tgw-attach-1' },
      attachment('pending'),
      'arn:aws:sts::123456789012:assumed-role/peerkeeper-executor/s',
    );
    expect(normalizeAwsEvent(own, opts)).toMatchObject({
      kind: 'ignore',
      reason: expect.stringMatching(/peerkeeper itself/),
    });
    const failed = tgwEvent('CreateTransitGatewayVpcAttachment', { VpcId: 'vpc-1' }, null);
    failed.detail.errorCode = 'DuplicateTransitGatewayAttachment';
    expect(normalizeAwsEvent(failed, opts)).toMatchObject({ kind: 'ignore' });
  });

  it('names the VPC of a create from its request alone (the caller owns it) when the record has no response', () => {
    const bare = tgwEvent(
      'CreateTransitGatewayVpcAttachment',
      { TransitGatewayId: 'tgw-1', VpcId: 'vpc-07e8ffd50fEXAMPLE' },
      null,
    );
    expect(expectWork(normalizeAwsEvent(bare, opts)).scope).toEqual(spokeNetwork(OWNER));
  });
});
