import { randomUUID } from 'node:crypto';
import type { Caller } from '../state/types';
import { userIdentity } from '../events';
import { OrganizationsError, type OrganizationState, type OrgAccountRecord } from './state';

/** The JSON 1.1 target prefix the SDK sends in `X-Amz-Target`. */
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128.';

/** Organizations pages hold at most 20 items (MaxResults 1–20), so a 1,000-account OU takes 50 pages. */
const MAX_PAGE = 20;

type Json = Record<string, unknown>;

/** An EventBridge event the organization emits in its management account (us-east-1). */
export interface OrganizationsEvent {
  version: '0';
  id: string;
  'detail-type': 'AWS API Call via CloudTrail' | 'AWS Service Event via CloudTrail';
  source: 'aws.organizations' | 'aws.controltower';
  account: string;
  time: string;
  region: 'us-east-1';
  resources: string[];
  detail: Json;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
/** `arn:aws:organizations::{management}:{account|ou|root}/{o-…}/{id}`, as the Organizations API reference spells them. */
const arnOf = (org: OrganizationState, kind: 'account' | 'ou' | 'root', id: string) =>
  `arn:aws:organizations::${org.managementAccount}:${kind}/${org.id}/${id}`;

/** An Account as the API returns it: `State`, not the retired `Status`; JoinedTimestamp in epoch seconds (JSON 1.1). */
function accountBody(org: OrganizationState, a: OrgAccountRecord): Json {
  return {
    Id: a.id,
    Arn: arnOf(org, 'account', a.id),
    Email: a.email,
    Name: a.name,
    State: a.state,
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: seconds(a.joinedAt),
  };
}

/** One page of `items` from the request's NextToken (an opaque offset) and MaxResults. */
function page<T>(items: readonly T[], input: Json, key: string, render: (item: T) => Json): Json {
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : MAX_PAGE;
  if (max < 1 || max > MAX_PAGE)
    throw new OrganizationsError('InvalidInputException', `MaxResults must be between 1 and ${MAX_PAGE}.`);
  const start =
    typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw new OrganizationsError('InvalidInputException', 'You specified an invalid value for nextToken.');
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? { NextToken: Buffer.from(String(start + max)).toString('base64url') } : {};
  return { [key]: slice.map(render), ...next };
}

function text(input: Json, key: string): string {
  const value = input[key];
  if (typeof value !== 'string' || value.length === 0)
    throw new OrganizationsError(
      'InvalidInputException',
      `You provided a value that does not match the required pattern: ${key}.`,
    );
  return value;
}

/** What one call answers, and the event it emits (mutating calls only). */
export interface OrganizationsAnswer {
  body: Json;
  event?: OrganizationsEvent;
}

/** Handles one Organizations JSON 1.1 operation. Only the management account may call it (delegated admins are not emulated). */
export function handleOrganizations(
  org: OrganizationState,
  operation: string,
  input: Json,
  caller: Caller,
  at: Date,
  userAgent: string,
): OrganizationsAnswer {
  if (caller.account !== org.managementAccount) {
    throw new OrganizationsError(
      'AccessDeniedException',
      `You don't have permissions to access this resource (account ${caller.account} is not the management account).`,
    );
  }
  const children = (parentId: string) => {
    org.requireParent(parentId);
    return parentId;
  };
  switch (operation) {
    case 'ListRoots':
      return {
        body: page([org.rootId], input, 'Roots', (id) => ({
          Id: id,
          Arn: arnOf(org, 'root', id),
          Name: 'Root',
          PolicyTypes: [],
        })),
      };
    case 'ListOrganizationalUnitsForParent': {
      const parent = children(text(input, 'ParentId'));
      return {
        body: page(
          [...org.ous.values()].filter((o) => o.parentId === parent),
          input,
          'OrganizationalUnits',
          (o) => ({ Id: o.id, Arn: arnOf(org, 'ou', o.id), Name: o.name }),
        ),
      };
    }
    case 'ListAccountsForParent': {
      const parent = children(text(input, 'ParentId'));
      return {
        body: page(
          [...org.accounts.values()].filter((a) => a.parentId === parent),
          input,
          'Accounts',
          (a) => accountBody(org, a),
        ),
      };
    }
    case 'ListChildren': {
      const parent = children(text(input, 'ParentId'));
      const type = text(input, 'ChildType');
      const ids =
        type === 'ACCOUNT'
          ? [...org.accounts.values()].filter((a) => a.parentId === parent).map((a) => a.id)
          : type === 'ORGANIZATIONAL_UNIT'
            ? [...org.ous.values()].filter((o) => o.parentId === parent).map((o) => o.id)
            : (() => {
                throw new OrganizationsError(
                  'InvalidInputException',
                  'ChildType must be ACCOUNT or ORGANIZATIONAL_UNIT.',
                );
              })();
      return { body: page(ids, input, 'Children', (id) => ({ Id: id, Type: type })) };
    }
    case 'ListParents':
      return { body: page([org.parentOf(text(input, 'ChildId'))], input, 'Parents', (p) => p) };
    case 'DescribeAccount':
      return { body: { Account: accountBody(org, org.account(text(input, 'AccountId'))) } };
    case 'DescribeOrganizationalUnit': {
      const ou = org.ou(text(input, 'OrganizationalUnitId'));
      return { body: { OrganizationalUnit: { Id: ou.id, Arn: arnOf(org, 'ou', ou.id), Name: ou.name } } };
    }
    case 'CreateAccount': {
      const account = org.createAccount(text(input, 'AccountName'), text(input, 'Email'));
      const status = {
        Id: `car-${randomUUID().replace(/-/g, '')}`,
        AccountName: account.name,
        State: 'SUCCEEDED',
        AccountId: account.id,
        RequestedTimestamp: seconds(at),
        CompletedTimestamp: seconds(at),
      };
      return { body: { CreateAccountStatus: status }, event: createAccountResult(org, account, status.Id, at) };
    }
    case 'MoveAccount': {
      const params = {
        accountId: text(input, 'AccountId'),
        sourceParentId: text(input, 'SourceParentId'),
        destinationParentId: text(input, 'DestinationParentId'),
      };
      org.moveAccount(params.accountId, params.sourceParentId, params.destinationParentId);
      return { body: {}, event: apiCall(org, 'MoveAccount', params, caller, at, userAgent) };
    }
    default:
      throw new OrganizationsError('UnknownOperationException', `The operation ${operation} is not emulated.`);
  }
}

const cloudTrailTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** CreateAccountResult: the service event that reports the finished CreateAccount (shape of the vendor record). */
function createAccountResult(
  org: OrganizationState,
  account: OrgAccountRecord,
  requestId: string,
  at: Date,
): OrganizationsEvent {
  const time = cloudTrailTime(at);
  const stamp = at.toUTCString();
  return envelope(org, 'AWS Service Event via CloudTrail', time, {
    eventVersion: '1.05',
    userIdentity: { accountId: org.managementAccount, invokedBy: 'AWS Internal' },
    eventTime: time,
    eventSource: 'organizations.amazonaws.com',
    eventName: 'CreateAccountResult',
    awsRegion: 'us-east-1',
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    requestParameters: null,
    responseElements: null,
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsServiceEvent',
    recipientAccountId: org.managementAccount,
    serviceEventDetails: {
      createAccountStatus: {
        id: requestId,
        state: 'SUCCEEDED',
        accountName: account.name,
        accountId: account.id,
        requestedTimestamp: stamp,
        completedTimestamp: stamp,
      },
    },
  });
}

/** An Organizations API call as CloudTrail records it (MoveAccount). */
function apiCall(
  org: OrganizationState,
  eventName: string,
  requestParameters: Json,
  caller: Caller,
  at: Date,
  userAgent: string,
): OrganizationsEvent {
  const time = cloudTrailTime(at);
  return envelope(org, 'AWS API Call via CloudTrail', time, {
    eventVersion: '1.08',
    userIdentity: userIdentity(caller),
    eventTime: time,
    eventSource: 'organizations.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent,
    requestParameters,
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: org.managementAccount,
    eventCategory: 'Management',
  });
}

function envelope(
  org: OrganizationState,
  detailType: OrganizationsEvent['detail-type'],
  time: string,
  detail: Json,
): OrganizationsEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.organizations',
    account: org.managementAccount,
    time,
    region: 'us-east-1',
    resources: [],
    detail,
  };
}
