import { MalformedEventError } from '../../../shared/errors';
import { cloudEventFromBinary, normalizeGcpEvent } from '../../../shared/events/gcp';
import type { Scope, TriggerKind } from '../../../shared/model';
import { expectWork, loadFixture, type Json } from '../fixtures';

const PEERKEEPER = 'peerkeeper@ops-project.iam.gserviceaccount.com';
const opts = { identities: [PEERKEEPER] };

/** The vendor structured CloudEvent (BigQuery), re-pointed at another audit-logged call. */
function auditEvent(
  methodName: string,
  resourceName: string,
  extra: { operation?: Json; serviceName?: string; request?: unknown; status?: Json } = {},
): Json {
  const event = loadFixture('gcp-eventarc-auditlog-cloudevent-structured-bigquery.json');
  const serviceName = extra.serviceName ?? 'compute.googleapis.com';
  Object.assign(event, { methodName, resourceName, serviceName, subject: `${serviceName}/${resourceName}` });
  event.data.protoPayload = {
    ...event.data.protoPayload,
    methodName,
    resourceName,
    serviceName,
    serviceData: undefined,
    ...(extra.request === undefined ? {} : { request: extra.request }),
    ...(extra.status ? { status: extra.status } : {}),
  };
  if (extra.operation) event.data.operation = extra.operation;
  return event;
}

const NET = 'projects/test-project/global/networks/vpc-a';
/** The vendor entry's `resource.labels.project_id`. */
const PROJECT_LABEL = (
  loadFixture('gcp-eventarc-auditlog-cloudevent-structured-bigquery.json').data.resource.labels as Record<
    string,
    string
  >
).project_id!;
const done = { id: 'operation-1', producer: 'compute.googleapis.com', last: true };
const network: Scope = {
  kind: 'network',
  network: { cloud: 'gcp', account: 'test-project', region: 'global', id: 'vpc-a' },
};
const project = (account: string): Scope => ({ kind: 'account', cloud: 'gcp', account });

describe('normalizeGcpEvent: work', () => {
  const cases: Record<string, { reason: string; event: Json; scope: Scope; kind: TriggerKind }> = {
    'addPeering (last entry)': {
      reason: 'the peering exists once the operation ends',
      event: auditEvent('v1.compute.networks.addPeering', NET, { operation: done }),
      scope: network,
      kind: 'peering',
    },
    'removePeering (beta)': {
      reason: 'beta.compute prefix',
      event: auditEvent('beta.compute.networks.removePeering', NET, { operation: done }),
      scope: network,
      kind: 'peering',
    },
    requestRemovePeering: {
      reason: 'a peer asks to end a CONSENSUS peering: our side re-checks at once, not at the sweep',
      event: auditEvent('v1.compute.networks.requestRemovePeering', NET, { operation: done }),
      scope: network,
      kind: 'peering',
    },
    'updatePeering (no operation)': {
      reason: 'entries without an operation are complete',
      event: auditEvent('compute.networks.updatePeering', NET),
      scope: network,
      kind: 'peering',
    },
    'networks.insert': {
      reason: 'a new network may join a group',
      event: auditEvent('v1.compute.networks.insert', NET, { operation: { ...done, first: false } }),
      scope: network,
      kind: 'network',
    },
    'networks.delete': {
      reason: 'peers of a deleted network need a look',
      event: auditEvent('v1.compute.networks.delete', NET, { operation: done }),
      scope: network,
      kind: 'network',
    },
    'networks.patch': {
      reason: 'routing mode or MTU changed',
      event: auditEvent('v1.compute.networks.patch', NET, { operation: done }),
      scope: network,
      kind: 'network',
    },
    'routes.insert': {
      reason: 'a route name does not say its network: re-check the project',
      event: auditEvent('v1.compute.routes.insert', 'projects/test-project/global/routes/to-hub', { operation: done }),
      scope: project('test-project'),
      kind: 'route',
    },
    'routes.delete': {
      reason: 'same as insert',
      event: auditEvent('v1.compute.routes.delete', 'projects/test-project/global/routes/to-hub'),
      scope: project('test-project'),
      kind: 'route',
    },
    'subnetworks.insert': {
      reason: 'subnet ranges are what peers route to',
      event: auditEvent('v1.compute.subnetworks.insert', 'projects/test-project/regions/us-central1/subnetworks/app', {
        operation: done,
      }),
      scope: project('test-project'),
      kind: 'network',
    },
    'subnetworks.expandIpCidrRange': {
      reason: 'a wider range needs a fresh overlap check',
      event: auditEvent(
        'v1.compute.subnetworks.expandIpCidrRange',
        'projects/test-project/regions/us-central1/subnetworks/app',
      ),
      scope: project('test-project'),
      kind: 'network',
    },
    'CreateProject v3': {
      reason: 'project vending; the id is in request.project',
      kind: 'vending',
      scope: project('team-a-prod'),
      event: auditEvent('google.cloudresourcemanager.v3.Projects.CreateProject', 'projects/team-a-prod', {
        serviceName: 'cloudresourcemanager.googleapis.com',
        request: {
          '@type': 'type.googleapis.com/google.cloud.resourcemanager.v3.CreateProjectRequest',
          project: { projectId: 'team-a-prod', parent: 'folders/123' },
        },
        operation: done,
      }),
    },
    'CreateProject v1': {
      reason: 'v1 requests are the Project itself',
      kind: 'vending',
      scope: project('team-b-dev'),
      event: auditEvent('CreateProject', 'projects/123456789012', {
        serviceName: 'cloudresourcemanager.googleapis.com',
        request: { projectId: 'team-b-dev' },
      }),
    },
    'CreateProject without an id': {
      reason: 'a project number is not an account id: sweep and find it by listing',
      kind: 'vending',
      scope: { kind: 'estate' },
      event: auditEvent('google.cloudresourcemanager.v3.Projects.CreateProject', 'projects/123456789012', {
        serviceName: 'cloudresourcemanager.googleapis.com',
      }),
    },
    'MoveProject v3': {
      reason: 'a project moved between folders may join or leave a governed folder',
      kind: 'vending',
      scope: project('team-a-prod'),
      event: auditEvent('google.cloud.resourcemanager.v3.Projects.MoveProject', 'projects/team-a-prod', {
        serviceName: 'cloudresourcemanager.googleapis.com',
        request: {
          '@type': 'type.googleapis.com/google.cloud.resourcemanager.v3.MoveProjectRequest',
          name: 'projects/team-a-prod',
          destinationParent: 'folders/456',
        },
      }),
    },
    'MoveProject by number': {
      reason: "a project number is not an account id: the entry's project_id label names the project",
      kind: 'vending',
      scope: project(PROJECT_LABEL),
      event: auditEvent('google.cloud.resourcemanager.v3.Projects.MoveProject', 'projects/123456789012', {
        serviceName: 'cloudresourcemanager.googleapis.com',
      }),
    },
    UpdateProject: {
      reason: 'project labels select networks (networks have none)',
      kind: 'network',
      scope: project('test-project'),
      event: auditEvent('google.cloudresourcemanager.v3.Projects.UpdateProject', 'projects/test-project', {
        serviceName: 'cloudresourcemanager.googleapis.com',
      }),
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { event, scope, kind }) => {
    const trigger = expectWork(normalizeGcpEvent(event, opts));
    expect(trigger.scope).toEqual(scope);
    expect(trigger.kind).toBe(kind);
    expect(trigger.eventId).toBe(event.id);
    expect(trigger.source).toBe(event.data.protoPayload.methodName);
  });

  it('takes the actor and the log time from the entry', () => {
    expect(expectWork(normalizeGcpEvent(auditEvent('v1.compute.networks.addPeering', NET), opts))).toMatchObject({
      actor: 'robot@test-project.iam.gserviceaccount.com',
      at: '2021-11-25T21:56:00.276607Z',
    });
  });
});

describe('normalizeGcpEvent: ignored', () => {
  const ours = auditEvent('v1.compute.networks.addPeering', NET, { operation: done });
  ours.data.protoPayload.authenticationInfo.principalEmail = PEERKEEPER;
  const pubsub = {
    ...loadFixture('gcp-eventarc-auditlog-cloudevent-structured-bigquery.json'),
    data: loadFixture('gcp-auditlog-LogEntryData-pubsubCreateTopic.json'),
  };

  const cases: Record<string, { reason: string; event: Json; because: RegExp }> = {
    'vendor BigQuery event': {
      reason: 'the verbatim example is not a compute call',
      event: loadFixture('gcp-eventarc-auditlog-cloudevent-structured-bigquery.json'),
      because: /does not watch jobservice\.jobcompleted/,
    },
    'vendor Pub/Sub entry': {
      reason: 'verbatim LogEntryData in a CloudEvent',
      event: pubsub,
      because: /does not watch google\.pubsub\.v1\.Publisher\.CreateTopic/,
    },
    'first entry only': {
      reason: 'addPeering has not finished: the peering may not exist yet',
      event: auditEvent('v1.compute.networks.addPeering', NET, { operation: { id: 'op', first: true } }),
      because: /operation not finished/,
    },
    'middle of an operation': {
      reason: 'neither first nor last is still not finished',
      event: auditEvent('v1.compute.networks.insert', NET, { operation: { id: 'op' } }),
      because: /operation not finished/,
    },
    'error status': {
      reason: 'code 9 FAILED_PRECONDITION changed nothing',
      event: auditEvent('v1.compute.networks.addPeering', NET, {
        operation: done,
        status: { code: 9, message: 'overlapping ranges' },
      }),
      because: /failed \(code 9: overlapping ranges\)/,
    },
    'own principal': { reason: 'our own addPeering (DESIGN §5)', event: ours, because: /peerkeeper itself/ },
    'subnetworks.get': {
      reason: 'a read never causes work',
      event: auditEvent('v1.compute.subnetworks.get', 'projects/test-project/regions/us-central1/subnetworks/app'),
      because: /does not watch/,
    },
    'networks.getEffectiveFirewalls': {
      reason: 'not a watched verb',
      event: auditEvent('v1.compute.networks.getEffectiveFirewalls', NET),
      because: /does not watch/,
    },
    'CreateProject of another service': {
      reason: 'only Resource Manager creates projects',
      event: auditEvent('CreateProject', 'projects/x-project'),
      because: /does not watch/,
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { event, because }) => {
    expect(normalizeGcpEvent(event, opts)).toEqual({
      kind: 'ignore',
      reason: expect.stringMatching(because),
      eventId: event.id,
    });
  });
});

describe('cloudEventFromBinary', () => {
  const structured = auditEvent('v1.compute.networks.addPeering', NET, { operation: done });
  const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json; charset=utf-8' };
  for (const [key, value] of Object.entries(structured))
    if (key !== 'data' && key !== 'datacontenttype') headers[`ce-${key.toLowerCase()}`] = String(value);
  headers['ce-id'] = [String(structured.id), 'ignored-duplicate'];
  const expected = normalizeGcpEvent(structured, opts);

  it.each([
    ['an object body', structured.data],
    ['a string body', JSON.stringify(structured.data)],
    ['a Buffer body', Buffer.from(JSON.stringify(structured.data))],
  ])('builds the structured event from headers and %s', (_name, body) => {
    const event = cloudEventFromBinary(headers, body);
    expect(event['id']).toBe(structured.id);
    expect(event['datacontenttype']).toBe('application/json; charset=utf-8');
    expect(normalizeGcpEvent(event, opts)).toEqual(expected);
  });

  it('rejects a body that is not JSON', () => {
    expect(() => cloudEventFromBinary(headers, '{"protoPayload":')).toThrow(MalformedEventError);
    expect(() =>
      cloudEventFromBinary({ ...headers, 'content-type': 'application/protobuf' }, Buffer.from([8, 1])),
    ).toThrow(/reads JSON audit-log events only/);
  });

  it('leaves an event without ce- headers for the normalizer to reject', () => {
    expect(() => normalizeGcpEvent(cloudEventFromBinary({ host: 'x' }, {}), opts)).toThrow(/no specversion/);
  });
});

describe('normalizeGcpEvent: malformed', () => {
  const noMethod = auditEvent('x', NET);
  delete noMethod.data.protoPayload.methodName;
  const cases: Record<string, { reason: string; event: unknown; message: RegExp }> = {
    'not an object': { reason: 'an array', event: [], message: /GCP event is not readable/ },
    'no id': {
      reason: 'no idempotency key',
      event: { ...auditEvent('v1.compute.networks.insert', NET), id: undefined },
      message: /no id/,
    },
    'other CloudEvent type': {
      reason: 'the Eventarc trigger should filter on audit logs',
      event: { ...auditEvent('v1.compute.networks.insert', NET), type: 'google.cloud.storage.object.v1.finalized' },
      message: /does not read/,
    },
    'Pub/Sub message without a log entry': {
      reason: "the log sink's topic carries log entries only",
      event: {
        ...auditEvent('v1.compute.networks.insert', NET),
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
      },
      message: /a Pub\/Sub CloudEvent needs data\.message\.data/,
    },
    'no methodName': {
      reason: 'an audit entry without its method',
      event: noMethod,
      message: /no data\.protoPayload\.methodName/,
    },
    'network call on a non-network resource': {
      reason: 'the network cannot be named',
      event: auditEvent('v1.compute.networks.addPeering', 'projects/test-project/global/routes/r'),
      message: /expected projects\/\{project\}\/global\/networks/,
    },
    'route call without project': {
      reason: 'neither resource name nor label names the project',
      event: (() => {
        const event = auditEvent('v1.compute.routes.insert', 'routes/r');
        delete event.data.resource;
        return event;
      })(),
      message: /projects\/\{project\}/,
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { event, message }) => {
    expect(() => normalizeGcpEvent(event, opts)).toThrow(MalformedEventError);
    expect(() => normalizeGcpEvent(event, opts)).toThrow(message);
  });
});
