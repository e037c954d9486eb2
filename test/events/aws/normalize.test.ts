import { MalformedEventError } from '../../../shared/errors';
import { normalizeAwsEvent } from '../../../shared/events/aws';
import type { Scope, TriggerKind } from '../../../shared/model';
import { expectWork, loadFixture, type Json } from '../fixtures';

const opts = { identities: ['arn:aws:iam::*:role/peerkeeper-executor'] };
const ACCOUNT = '123456789012';
const REGION = 'us-west-2';

/** The vendor CreateRoute envelope with the panther record's real-looking ids as its detail, then `edit` applied. */
function ec2Event(eventName: string, requestParameters: unknown, responseElements: unknown = { _return: true }): Json {
  const event = loadFixture('aws-ec2-CreateRoute-eventbridge-igw.json');
  event.detail = {
    ...loadFixture('aws-cloudtrail-CreateRoute-record-panther.json'),
    eventName,
    requestParameters,
    responseElements,
  };
  return event;
}

function serviceEvent(source: string, detail: Json): Json {
  return {
    version: '0',
    id: 'evt-vending-1',
    'detail-type': 'AWS Service Event via CloudTrail',
    source,
    account: '111122223333',
    time: '2020-09-16T21:20:53Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** MoveAccount as CloudTrail records it: the vendor CreateAccount API-call record with MoveAccount's request parameters. */
function moveAccountEvent(requestParameters: unknown): Json {
  const detail = {
    ...loadFixture('aws-organizations-CreateAccount.json'),
    eventName: 'MoveAccount',
    requestParameters,
    responseElements: null,
  };
  return {
    ...serviceEvent('aws.organizations', detail),
    id: 'evt-move-1',
    'detail-type': 'AWS API Call via CloudTrail',
  };
}

const peering = (peeringId: string): Scope => ({
  kind: 'peering',
  cloud: 'aws',
  account: ACCOUNT,
  region: REGION,
  peeringId,
});
const routeTable = (routeTableId: string): Scope => ({
  kind: 'route-table',
  cloud: 'aws',
  account: ACCOUNT,
  region: REGION,
  routeTableId,
});
const network = (id: string): Scope => ({
  kind: 'network',
  network: { cloud: 'aws', account: ACCOUNT, region: REGION, id },
});
const region: Scope = { kind: 'account', cloud: 'aws', account: ACCOUNT, region: REGION };

describe('normalizeAwsEvent: work', () => {
  const cases: Record<string, { reason: string; event: () => Json; scope: Scope; kind: TriggerKind }> = {
    'vendor CreateRoute envelope': {
      reason: 'the verbatim aws-samples event has no recipientAccountId: the envelope account is used',
      event: () => loadFixture('aws-ec2-CreateRoute-eventbridge-igw.json'),
      scope: { kind: 'route-table', cloud: 'aws', account: 'xxxx', region: 'us-east-2', routeTableId: 'rtb-xxx' },
      kind: 'route',
    },
    CreateRoute: {
      reason: 'routes to anything may conflict with a managed route: re-check the table',
      event: () =>
        ec2Event('CreateRoute', {
          routeTableId: 'rtb-1',
          destinationCidrBlock: '10.1.0.0/16',
          vpcPeeringConnectionId: 'pcx-1',
        }),
      scope: routeTable('rtb-1'),
      kind: 'route',
    },
    DeleteRoute: {
      reason: 'a deleted managed route is drift',
      event: () => ec2Event('DeleteRoute', { routeTableId: 'rtb-2', destinationCidrBlock: '10.1.0.0/16' }),
      scope: routeTable('rtb-2'),
      kind: 'route',
    },
    ReplaceRoute: {
      reason: 'a replaced route may now miss the peering',
      event: () =>
        ec2Event('ReplaceRoute', { routeTableId: 'rtb-3', destinationCidrBlock: '10.1.0.0/16', gatewayId: 'igw-1' }),
      scope: routeTable('rtb-3'),
      kind: 'route',
    },
    AssociateRouteTable: {
      reason: 'association changes which subnets a managed table serves',
      event: () =>
        ec2Event(
          'AssociateRouteTable',
          { routeTableId: 'rtb-4', subnetId: 'subnet-1' },
          { associationId: 'rtbassoc-1' },
        ),
      scope: routeTable('rtb-4'),
      kind: 'route',
    },
    ReplaceRouteTableAssociation: {
      reason: 'the new table is in the request',
      event: () =>
        ec2Event(
          'ReplaceRouteTableAssociation',
          { associationId: 'rtbassoc-1', routeTableId: 'rtb-5' },
          { newAssociationId: 'rtbassoc-2' },
        ),
      scope: routeTable('rtb-5'),
      kind: 'route',
    },
    DisassociateRouteTable: {
      reason: 'only the association id is known: re-check the region',
      event: () => ec2Event('DisassociateRouteTable', { associationId: 'rtbassoc-1' }),
      scope: region,
      kind: 'route',
    },
    CreateVpcPeeringConnection: {
      reason: 'the new pcx id is only in the response',
      event: () =>
        ec2Event(
          'CreateVpcPeeringConnection',
          { vpcId: 'vpc-1', peerVpcId: 'vpc-2', peerOwnerId: '210987654321' },
          {
            requestId: 'r',
            vpcPeeringConnection: { vpcPeeringConnectionId: 'pcx-new', status: { code: 'initiating-request' } },
          },
        ),
      scope: peering('pcx-new'),
      kind: 'peering',
    },
    AcceptVpcPeeringConnection: {
      reason: 'accepted peerings need routes',
      event: () => ec2Event('AcceptVpcPeeringConnection', { vpcPeeringConnectionId: 'pcx-a' }),
      scope: peering('pcx-a'),
      kind: 'peering',
    },
    RejectVpcPeeringConnection: {
      reason: 'a rejected wanted peering is drift',
      event: () => ec2Event('RejectVpcPeeringConnection', { vpcPeeringConnectionId: 'pcx-r' }),
      scope: peering('pcx-r'),
      kind: 'peering',
    },
    DeleteVpcPeeringConnection: {
      reason: 'a deleted wanted peering is drift',
      event: () => ec2Event('DeleteVpcPeeringConnection', { vpcPeeringConnectionId: 'pcx-d' }),
      scope: peering('pcx-d'),
      kind: 'peering',
    },
    'ModifyVpcPeeringConnectionOptions (request wrapper)': {
      reason: 'newer EC2 calls log a PascalCase XRequest wrapper; the id is found by key',
      event: () =>
        ec2Event('ModifyVpcPeeringConnectionOptions', {
          ModifyVpcPeeringConnectionOptionsRequest: {
            VpcPeeringConnectionId: 'pcx-m',
            AccepterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true },
          },
        }),
      scope: peering('pcx-m'),
      kind: 'peering',
    },
    CreateVpc: {
      reason: 'a new VPC may belong to a group',
      event: () =>
        ec2Event('CreateVpc', { cidrBlock: '10.0.0.0/16' }, { vpc: { vpcId: 'vpc-new', cidrBlock: '10.0.0.0/16' } }),
      scope: network('vpc-new'),
      kind: 'network',
    },
    DeleteVpc: {
      reason: 'the VPC is gone; peerings and routes to it elsewhere in the region need a look',
      event: () => ec2Event('DeleteVpc', { vpcId: 'vpc-old' }),
      scope: region,
      kind: 'network',
    },
    AssociateVpcCidrBlock: {
      reason: 'new CIDRs need routes on the peers',
      event: () => ec2Event('AssociateVpcCidrBlock', { vpcId: 'vpc-1', cidrBlock: '10.2.0.0/16' }),
      scope: network('vpc-1'),
      kind: 'network',
    },
    'DisassociateVpcCidrBlock with response vpcId': {
      reason: 'the request has only the association id; the response names the VPC',
      event: () =>
        ec2Event(
          'DisassociateVpcCidrBlock',
          { associationId: 'vpc-cidr-assoc-1' },
          { vpcId: 'vpc-2', cidrBlockAssociation: { associationId: 'vpc-cidr-assoc-1' } },
        ),
      scope: network('vpc-2'),
      kind: 'network',
    },
    'DisassociateVpcCidrBlock without vpcId': {
      reason: 'nothing names the VPC: re-check the region',
      event: () => ec2Event('DisassociateVpcCidrBlock', { associationId: 'vpc-cidr-assoc-1' }, null),
      scope: region,
      kind: 'network',
    },
    'CreateTags on one VPC': {
      reason: 'tags select networks into groups; non-VPC resources are skipped',
      event: () =>
        ec2Event('CreateTags', {
          resourcesSet: { items: [{ resourceId: 'subnet-1' }, { resourceId: 'vpc-t' }] },
          tagSet: { items: [{ key: 'peerkeeper/role', value: 'spoke' }] },
        }),
      scope: network('vpc-t'),
      kind: 'network',
    },
    'DeleteTags on two VPCs': {
      reason: 'several VPCs: re-check the region once',
      event: () =>
        ec2Event('DeleteTags', {
          resourcesSet: { items: [{ resourceId: 'vpc-1' }, { resourceId: 'vpc-2' }, { resourceId: 'vpc-1' }] },
        }),
      scope: region,
      kind: 'network',
    },
    'DeleteTags on the same VPC twice': {
      reason: 'duplicates count once',
      event: () =>
        ec2Event('DeleteTags', { resourcesSet: { items: [{ resourceId: 'vpc-1' }, { resourceId: 'vpc-1' }] } }),
      scope: network('vpc-1'),
      kind: 'network',
    },
    'Control Tower CreateManagedAccount': {
      reason: 'the vendor example: a new account to bring into the estate',
      event: () => loadFixture('aws-controltower-CreateManagedAccount.json'),
      scope: { kind: 'account', cloud: 'aws', account: 'XXXXXXXXXXXX' },
      kind: 'vending',
    },
    'Organizations CreateAccountResult': {
      reason: 'the vendor record wrapped in its EventBridge envelope; the new account is not the recipient',
      event: () =>
        serviceEvent('aws.organizations', loadFixture('aws-organizations-CreateAccountResult-succeeded.json')),
      scope: { kind: 'account', cloud: 'aws', account: '444455556666' },
      kind: 'vending',
    },
    'Organizations MoveAccount': {
      reason: 'an account changed OU: it may have joined or left a governed group, so it is re-read',
      event: () =>
        moveAccountEvent({
          accountId: '444455556666',
          sourceParentId: 'ou-ab12-11111111',
          destinationParentId: 'ou-ab12-22222222',
        }),
      scope: { kind: 'account', cloud: 'aws', account: '444455556666' },
      kind: 'vending',
    },
    'EventBridge schedule': {
      reason: 'the timer sweeps the estate',
      event: () => ({
        version: '0',
        id: 'sched-1',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: ACCOUNT,
        time: '2024-01-01T00:00:00Z',
        region: REGION,
        resources: ['arn:aws:events:us-west-2:123456789012:rule/sweep'],
        detail: {},
      }),
      scope: { kind: 'estate' },
      kind: 'sweep',
    },
    'peerkeeper Sweep Requested': {
      reason: 'peerkeeper asks itself to re-check one scope (requeued work)',
      event: () => ({
        id: 'sweep-1',
        'detail-type': 'Sweep Requested',
        source: 'peerkeeper',
        detail: { scope: peering('pcx-9') },
      }),
      scope: peering('pcx-9'),
      kind: 'sweep',
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { event, scope, kind }) => {
    const input = event();
    const trigger = expectWork(normalizeAwsEvent(input, opts));
    expect(trigger.scope).toEqual(scope);
    expect(trigger.kind).toBe(kind);
    expect(trigger.eventId).toBe(input.id);
  });

  it('carries the actor, time and call name for the audit log', () => {
    const trigger = expectWork(normalizeAwsEvent(ec2Event('CreateRoute', { routeTableId: 'rtb-1' }), opts));
    expect(trigger).toMatchObject({
      actor: 'arn:aws:sts::123456789012:assumed-role/tester',
      at: '2019-01-01T00:00:00Z',
      source: 'CreateRoute',
    });
  });
});

describe('normalizeAwsEvent: ignored', () => {
  const withError = ec2Event('CreateRoute', { routeTableId: 'rtb-1' });
  withError.detail.errorCode = 'Client.InvalidRouteTableID.NotFound';
  const ours = ec2Event('AcceptVpcPeeringConnection', { vpcPeeringConnectionId: 'pcx-1' });
  ours.detail.userIdentity.arn = 'arn:aws:sts::123456789012:assumed-role/peerkeeper-executor/reconcile-42';
  const ctFailed = loadFixture('aws-controltower-CreateManagedAccount.json');
  ctFailed.detail.serviceEventDetails.createManagedAccountStatus.state = 'FAILED';

  const cases: Record<string, { reason: string; event: Json; because: RegExp }> = {
    'failed call': {
      reason: 'errorCode means nothing changed',
      event: withError,
      because: /failed \(Client\.InvalidRouteTableID\.NotFound\)/,
    },
    'own identity': {
      reason: 'our own accept must not trigger another reconcile (DESIGN §5)',
      event: ours,
      because: /peerkeeper itself/,
    },
    'read-only call': {
      reason: 'DescribeVpcs is well-formed but not watched',
      event: ec2Event('DescribeVpcs', {}),
      because: /does not watch ec2:DescribeVpcs/,
    },
    'tags on no VPC': {
      reason: 'instance tags do not select networks',
      event: ec2Event('CreateTags', { resourcesSet: { items: [{ resourceId: 'i-1' }] } }),
      because: /touched no VPC/,
    },
    'Control Tower update': {
      reason: 'moving an account between OUs changes no network',
      event: loadFixture('aws-controltower-UpdateManagedAccount.json'),
      because: /does not watch controltower:UpdateManagedAccount/,
    },
    'Control Tower failed': {
      reason: 'a failed account has nothing to peer',
      event: ctFailed,
      because: /did not succeed \(state FAILED\)/,
    },
    'Organizations failed': {
      reason: 'EMAIL_ALREADY_EXISTS: no account was made',
      event: serviceEvent('aws.organizations', loadFixture('aws-organizations-CreateAccountResult-failed.json')),
      because: /state FAILED/,
    },
    'other service': {
      reason: 'a CloudTrail call of a service peerkeeper does not watch',
      event: { ...ec2Event('PutObject', {}), source: 'aws.s3' },
      because: /aws\.s3/,
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { event, because }) => {
    const result = normalizeAwsEvent(event, opts);
    expect(result).toEqual({ kind: 'ignore', reason: expect.stringMatching(because), eventId: event.id });
  });
});

describe('normalizeAwsEvent: malformed', () => {
  const noName = ec2Event('CreateRoute', {});
  delete noName.detail.eventName;
  const noAccount = loadFixture('aws-ec2-CreateRoute-eventbridge-igw.json');
  delete noAccount.account;
  const ctNoAccount = loadFixture('aws-controltower-CreateManagedAccount.json');
  delete ctNoAccount.detail.serviceEventDetails.createManagedAccountStatus.account;

  const cases: Record<string, { reason: string; event: unknown; message: RegExp }> = {
    'not an object': { reason: 'a string body', event: 'CreateRoute', message: /AWS event is not readable/ },
    'no id': {
      reason: 'no idempotency key',
      event: { ...ec2Event('CreateRoute', { routeTableId: 'rtb-1' }), id: undefined },
      message: /id/,
    },
    'no eventName': {
      reason: 'not a CloudTrail record',
      event: noName,
      message: /eventName.*is this an EventBridge CloudTrail event/,
    },
    'unknown detail-type': {
      reason: 'the rule forwards something peerkeeper does not read',
      event: { ...ec2Event('CreateRoute', {}), 'detail-type': 'EC2 Instance State-change Notification' },
      message: /does not read/,
    },
    'no account anywhere': {
      reason: 'neither recipientAccountId nor envelope account',
      event: noAccount,
      message: /names no account/,
    },
    'route call without table': {
      reason: 'CreateRoute must name its table',
      event: ec2Event('CreateRoute', { destinationCidrBlock: '10.0.0.0/8' }),
      message: /no routeTableId/,
    },
    'peering call without id': {
      reason: 'Accept must name the peering',
      event: ec2Event('AcceptVpcPeeringConnection', {}),
      message: /no vpcPeeringConnectionId/,
    },
    'CreateVpc without response': {
      reason: 'the new VPC id is only in the response',
      event: ec2Event('CreateVpc', {}, null),
      message: /vpcId/,
    },
    'CreateTags without resources': {
      reason: 'a tag call names what it tags',
      event: ec2Event('CreateTags', {}),
      message: /resourcesSet/,
    },
    'vending without account id': {
      reason: 'SUCCEEDED but no account: nothing to re-check',
      event: ctNoAccount,
      message: /accountId/,
    },
    'MoveAccount without account id': {
      reason: 'a move names the account it moved',
      event: moveAccountEvent({ destinationParentId: 'ou-ab12-22222222' }),
      message: /requestParameters\.accountId/,
    },
    'sweep with a bad scope': {
      reason: 'detail.scope is validated with ScopeSchema',
      event: { id: 's', 'detail-type': 'Sweep Requested', source: 'peerkeeper', detail: { scope: { kind: 'galaxy' } } },
      message: /Sweep Requested/,
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { event, message }) => {
    expect(() => normalizeAwsEvent(event, opts)).toThrow(MalformedEventError);
    expect(() => normalizeAwsEvent(event, opts)).toThrow(message);
  });
});
