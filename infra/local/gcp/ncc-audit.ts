import { renderNccOperation } from './ncc-render';
import type { NccAuditCall } from './ncc-state';
import { rfc3339 } from './records';

const SERVICE = 'networkconnectivity.googleapis.com';

/** The IAM permission NCC checks for each audited RPC (authorizationInfo). */
const PERMISSIONS: Record<string, string> = {
  CreateSpoke: 'networkconnectivity.spokes.create',
  UpdateSpoke: 'networkconnectivity.spokes.update',
  DeleteSpoke: 'networkconnectivity.spokes.delete',
  AcceptHubSpoke: 'networkconnectivity.hubs.acceptSpoke',
  RejectHubSpoke: 'networkconnectivity.hubs.rejectSpoke',
  UpdateGroup: 'networkconnectivity.groups.update',
};

/**
 * The Cloud Audit Log entry of an NCC write, as Eventarc delivers it (structured CloudEvent
 * `google.cloud.audit.log.v1.written`). Like Compute, the long-running call logs a `first` entry when it starts
 * (request, operation) and a `last` entry when it ends (status on failure).
 */
export function nccAuditCloudEvent(call: NccAuditCall, insertId: string, at: Date): Record<string, unknown> {
  const op = call.operation;
  const { methodName, resourceName, request } = op.audit;
  const rpc = methodName.split('.').pop()!;
  const time = rfc3339(at);
  const protoPayload: Record<string, unknown> = {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    authenticationInfo: { principalEmail: op.user },
    requestMetadata: {
      callerIp: '127.0.0.1',
      callerSuppliedUserAgent: 'peerkeeper-emulator',
      requestAttributes: { time },
      destinationAttributes: {},
    },
    serviceName: SERVICE,
    methodName,
    resourceName,
    ...(call.phase === 'first'
      ? {
          authorizationInfo: [
            {
              resource: resourceName,
              permission: PERMISSIONS[rpc] ?? methodName,
              granted: true,
              resourceAttributes: {},
            },
          ],
          request,
          response: { '@type': 'type.googleapis.com/google.longrunning.Operation', ...renderNccOperation(op) },
        }
      : {}),
    ...(op.error ? { status: { code: op.error.code, message: op.error.message } } : {}),
  };
  const data = {
    protoPayload,
    insertId,
    resource: {
      type: 'audited_resource',
      labels: { project_id: op.project, service: SERVICE, method: methodName },
    },
    timestamp: time,
    severity: op.error ? 'ERROR' : 'NOTICE',
    logName: `projects/${op.project}/logs/cloudaudit.googleapis.com%2Factivity`,
    operation: {
      id: op.name,
      producer: SERVICE,
      ...(call.phase === 'first' ? { first: true } : { last: true }),
    },
    receiveTimestamp: time,
  };
  return {
    data,
    datacontenttype: 'application/json; charset=utf-8',
    dataschema:
      'https://googleapis.github.io/google-cloudevents/jsonschema/google/events/cloud/audit/v1/LogEntryData.json',
    id: `projects/${op.project}/logs/cloudaudit.googleapis.com%2Factivity${insertId}${at.getTime()}`,
    methodName,
    recordedTime: time,
    resourceName,
    serviceName: SERVICE,
    source: `//cloudaudit.googleapis.com/projects/${op.project}/logs/activity`,
    specversion: '1.0',
    subject: `${SERVICE}/${resourceName}`,
    time,
    type: 'google.cloud.audit.log.v1.written',
  };
}
