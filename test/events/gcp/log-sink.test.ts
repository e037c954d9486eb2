import { MalformedEventError } from '../../../shared/errors';
import { normalizeGcpEvent, PUBSUB_MESSAGE_PUBLISHED } from '../../../shared/events/gcp';
import { loadFixture, type Json } from '../fixtures';

/**
 * The organization log sink (infra/gcp) exports audit-log entries to Pub/Sub; the event function receives them as
 * `messagePublished` CloudEvents. Each must normalize exactly as Eventarc's audit-log CloudEvent of the same entry.
 */
const opts = { identities: ['peerkeeper@ops-project.iam.gserviceaccount.com'] };
const NET = 'projects/spoke-prj/global/networks/vpc-a';

/** The vendor LogEntry (from the structured Eventarc fixture), re-pointed at a peering call, with a sink insertId. */
function logEntry(methodName: string, extra: Json = {}): Json {
  const entry = loadFixture('gcp-eventarc-auditlog-cloudevent-structured-bigquery.json').data as Json;
  entry.protoPayload = {
    ...entry.protoPayload,
    methodName,
    resourceName: NET,
    serviceName: 'compute.googleapis.com',
    serviceData: undefined,
  };
  entry.operation = { id: 'operation-1', producer: 'compute.googleapis.com', last: true };
  return { ...entry, insertId: 'sink-insert-1', ...extra };
}
const viaSink = (entry: Json, messageId = 'msg-1'): Json => ({
  specversion: '1.0',
  id: messageId,
  type: PUBSUB_MESSAGE_PUBLISHED,
  source: '//pubsub.googleapis.com/projects/net-hub/topics/peerkeeper-audit',
  data: {
    message: {
      data: Buffer.from(JSON.stringify(entry)).toString('base64'),
      messageId,
      publishTime: '2026-11-20T12:00:01.000Z',
    },
    subscription: 's',
  },
});
const viaEventarc = (entry: Json): Json => ({
  specversion: '1.0',
  id: 'sink-insert-1',
  type: 'google.cloud.audit.log.v1.written',
  source: '//cloudaudit.googleapis.com/projects/spoke-prj/logs/activity',
  data: entry,
});

describe('normalizeGcpEvent: entries from the organization log sink', () => {
  const cases: { reason: string; entry: Json }[] = [
    {
      reason: "a spoke project's addPeering arrives in seconds, not at the next sweep",
      entry: logEntry('v1.compute.networks.addPeering'),
    },
    {
      reason: 'a route deleted in a spoke project',
      entry: logEntry('v1.compute.routes.delete', {
        protoPayload: {
          methodName: 'v1.compute.routes.delete',
          resourceName: 'projects/spoke-prj/global/routes/r1',
          serviceName: 'compute.googleapis.com',
        },
      }),
    },
    {
      reason: 'an unfinished operation is ignored the same way',
      entry: logEntry('v1.compute.networks.addPeering', { operation: { id: 'op', last: false } }),
    },
    {
      reason: "peerkeeper's own call is ignored the same way",
      entry: logEntry('v1.compute.networks.addPeering', {
        protoPayload: {
          methodName: 'v1.compute.networks.addPeering',
          resourceName: NET,
          serviceName: 'compute.googleapis.com',
          authenticationInfo: { principalEmail: opts.identities[0] },
        },
      }),
    },
  ];
  it.each(cases)('$reason', ({ entry }) => {
    expect(normalizeGcpEvent(viaSink(entry), opts)).toEqual(normalizeGcpEvent(viaEventarc(entry), opts));
  });

  it("keys the work on the log entry's insertId, so the same entry delivered twice is one event", () => {
    const a = normalizeGcpEvent(viaSink(logEntry('v1.compute.networks.addPeering'), 'msg-1'), opts);
    const b = normalizeGcpEvent(viaSink(logEntry('v1.compute.networks.addPeering'), 'msg-2'), opts);
    expect(a.kind === 'work' && b.kind === 'work' ? [a.trigger.eventId, b.trigger.eventId] : []).toEqual([
      'sink-insert-1',
      'sink-insert-1',
    ]);
  });

  it('refuses a Pub/Sub message that does not hold a log entry', () => {
    expect(() =>
      normalizeGcpEvent(
        { ...viaSink(logEntry('x')), data: { message: { data: Buffer.from('not json').toString('base64') } } },
        opts,
      ),
    ).toThrow(MalformedEventError);
  });
});
