import { randomUUID } from 'node:crypto';
import type { QueryObject, QueryValue } from './query';
import { list, param, toRequestParameters } from './query';
import { callerArn } from './sts';
import type { Caller } from './state/types';
import { EC2_NAMESPACE, toCloudTrailJson, type CloudTrailJson, type XmlObject } from './xml';

/** The EventBridge envelope of an "AWS API Call via CloudTrail" event (source aws.ec2). */
export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': 'AWS API Call via CloudTrail';
  source: 'aws.ec2';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: CloudTrailRecord;
}

/** A CloudTrail record, field for field as CloudTrail writes it (eventVersion 1.08). */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: 'ec2.amazonaws.com';
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: CloudTrailJson;
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management';
}

/** CloudTrail's `userIdentity` of a caller (IAM user, or assumed role with its session context). */
export function userIdentity(caller: Caller): Record<string, unknown> {
  if (!caller.role) {
    return {
      type: 'IAMUser',
      principalId: `AIDA${caller.account}`,
      arn: callerArn(caller),
      accountId: caller.account,
      accessKeyId: caller.accessKeyId,
      userName: 'peerkeeper-local',
    };
  }
  const { name, sessionName, roleId, createdAt } = caller.role;
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${sessionName}`,
    arn: callerArn(caller),
    accountId: caller.account,
    accessKeyId: caller.accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: `arn:aws:iam::${caller.account}:role/${name}`,
        accountId: caller.account,
        userName: name,
      },
      webIdFederationData: {},
      attributes: { creationDate: createdAt.replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
    },
  };
}

/**
 * CloudTrail spells EC2 tag specifications `tagSpecificationSet: { items: [{ resourceType, tags: [{ key, value }] }] }`,
 * and CreateTags `resourcesSet: { items: [{ resourceId }] }, tagSet: { items: [{ key, value }] }`.
 */
function requestParameters(q: QueryObject): Record<string, unknown> {
  const { TagSpecification: _t, ResourceId: _r, Tag: _g, ...rest } = q;
  const params = toRequestParameters(rest);
  const tagPairs = (tags: QueryValue[]) =>
    tags.flatMap((t) =>
      typeof t === 'object' && !Array.isArray(t) ? [{ key: param(t, 'Key'), value: param(t, 'Value') ?? '' }] : [],
    );
  if (q.ResourceId !== undefined)
    params.resourcesSet = { items: list(q, 'ResourceId').map((resourceId) => ({ resourceId })) };
  if (q.Tag !== undefined) params.tagSet = { items: tagPairs(list(q, 'Tag')) };
  const specs = list(q, 'TagSpecification').flatMap((s) => (typeof s === 'object' && !Array.isArray(s) ? [s] : []));
  if (specs.length > 0) {
    params.tagSpecificationSet = {
      items: specs.map((s) => ({
        resourceType: param(s, 'ResourceType'),
        tags: tagPairs(list(s, 'Tag')),
      })),
    };
  }
  return params;
}

/**
 * Newer EC2 APIs, the Transit Gateway ones among them, are logged wrapped and in the Query API's own spelling:
 * `requestParameters: { CreateTransitGatewayRouteRequest: { TransitGatewayRouteTableId, … } }`, a list as
 * `{ tag: 1, content: … }` entries (one entry alone, several as an array), and `responseElements:
 * { CreateTransitGatewayRouteResponse: { xmlns, route: {…}, requestId } }`.
 */
const WRAPPED_CALL = /TransitGateway/;

function wrappedParameters(action: string, q: QueryObject): Record<string, unknown> {
  const convert = (v: QueryValue): unknown => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) {
      const entries = v.filter((x) => x !== undefined).map((x, i) => ({ tag: i + 1, content: convert(x) }));
      return entries.length === 1 ? entries[0] : entries;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)]));
  };
  const { Action: _a, Version: _v, ...rest } = q;
  return { [`${action}Request`]: convert(rest) };
}

/** Builds the event AWS would put on the caller's default bus for one EC2 call (success or failure). */
export function buildApiCallEvent(input: {
  caller: Caller;
  action: string;
  query: QueryObject;
  requestId: string;
  at: Date;
  userAgent: string;
  response?: XmlObject;
  error?: { code: string; message: string };
}): EventBridgeEvent {
  const time = input.at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const wrapped = WRAPPED_CALL.test(input.action);
  const responseElements: CloudTrailJson = !input.response
    ? null
    : wrapped
      ? {
          [`${input.action}Response`]: toCloudTrailJson({
            xmlns: EC2_NAMESPACE,
            ...input.response,
            requestId: input.requestId,
          }),
        }
      : toCloudTrailJson({ requestId: input.requestId, ...input.response });
  const detail: CloudTrailRecord = {
    eventVersion: '1.08',
    userIdentity: userIdentity(input.caller),
    eventTime: time,
    eventSource: 'ec2.amazonaws.com',
    eventName: input.action,
    awsRegion: input.caller.region,
    sourceIPAddress: '127.0.0.1',
    userAgent: input.userAgent,
    requestParameters: wrapped ? wrappedParameters(input.action, input.query) : requestParameters(input.query),
    responseElements,
    ...(input.error ? { errorCode: input.error.code, errorMessage: input.error.message } : {}),
    requestID: input.requestId,
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: input.caller.account,
    eventCategory: 'Management',
  };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: input.caller.account,
    time,
    region: input.caller.region,
    resources: [],
    detail,
  };
}
