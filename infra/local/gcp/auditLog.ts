import { renderOperation } from './render';
import { rfc3339, type OperationRecord } from './records';

/** The IAM permission Compute checks for each audited method (authorizationInfo). */
const PERMISSIONS: Record<string, string> = {
  'compute.networks.insert': 'compute.networks.create',
  'compute.networks.addPeering': 'compute.networks.addPeering',
  'compute.networks.removePeering': 'compute.networks.removePeering',
  'compute.networks.requestRemovePeering': 'compute.networks.removePeering',
  'compute.networks.updatePeering': 'compute.networks.updatePeering',
  'compute.routes.insert': 'compute.routes.create',
  'compute.routes.delete': 'compute.routes.delete',
};

/**
 * A Cloud Audit Log entry for one half of a Compute operation, wrapped as Eventarc delivers it
 * (structured CloudEvent `google.cloud.audit.log.v1.written`, see gcp-eventarc-auditlog-*.json).
 * Compute writes two entries per operation: operation.first when it starts, operation.last when it ends.
 */
export function auditCloudEvent(e: {
  phase: 'first' | 'last';
  operation: OperationRecord;
  request?: unknown;
  insertId: string;
  at: Date;
}): Record<string, unknown> {
  const op = e.operation;
  const methodName = `v1.${op.method}`;
  const resourceName = op.targetLink.replace(/^https:\/\/[^/]+\/compute\/v1\//, '');
  const isRoute = op.method.startsWith('compute.routes.');
  const resourceId = resourceName.split('/').pop()!;
  const time = rfc3339(e.at);
  const protoPayload: Record<string, unknown> = {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    authenticationInfo: { principalEmail: op.user },
    requestMetadata: {
      callerIp: '127.0.0.1',
      callerSuppliedUserAgent: 'peerkeeper-emulator',
      requestAttributes: { time },
      destinationAttributes: {},
    },
    serviceName: 'compute.googleapis.com',
    methodName,
    resourceName,
    ...(e.phase === 'first'
      ? {
          authorizationInfo: [
            {
              permission: PERMISSIONS[op.method] ?? op.method,
              granted: true,
              resourceAttributes: {
                service: 'compute',
                name: resourceName,
                type: isRoute ? 'compute.routes' : 'compute.networks',
              },
            },
          ],
          request: { '@type': `type.googleapis.com/${op.method}`, ...(isRecord(e.request) ? e.request : {}) },
          response: { '@type': 'type.googleapis.com/operation', ...renderOperation(op) },
        }
      : {}),
    ...(op.error ? { status: { code: 3, message: op.error.code } } : {}),
  };
  const data = {
    protoPayload,
    insertId: e.insertId,
    resource: {
      type: isRoute ? 'gce_route' : 'gce_network',
      labels: { project_id: op.project, [isRoute ? 'route_id' : 'network_id']: isRoute ? op.targetId : resourceId },
    },
    timestamp: time,
    severity: op.error ? 'ERROR' : 'NOTICE',
    logName: `projects/${op.project}/logs/cloudaudit.googleapis.com%2Factivity`,
    operation: {
      id: op.name,
      producer: 'compute.googleapis.com',
      ...(e.phase === 'first' ? { first: true } : { last: true }),
    },
    receiveTimestamp: time,
  };
  return {
    data,
    datacontenttype: 'application/json; charset=utf-8',
    dataschema:
      'https://googleapis.github.io/google-cloudevents/jsonschema/google/events/cloud/audit/v1/LogEntryData.json',
    id: `projects/${op.project}/logs/cloudaudit.googleapis.com%2Factivity${e.insertId}${e.at.getTime()}`,
    methodName,
    recordedTime: time,
    resourceName,
    serviceName: 'compute.googleapis.com',
    source: `//cloudaudit.googleapis.com/projects/${op.project}/logs/activity`,
    specversion: '1.0',
    subject: `compute.googleapis.com/${resourceName}`,
    time,
    type: 'google.cloud.audit.log.v1.written',
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
