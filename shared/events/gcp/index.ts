import { MalformedEventError } from '../../errors';
import { isOwnIdentity } from '../identity';
import { ignore, work, type NormalizeOptions, type NormalizeResult } from '../result';
import { parseShape } from '../shape';
import { AUDIT_LOG_WRITTEN, CloudEventSchema, LogEntryDataSchema } from './envelope';
import { scopeForMethod } from './methods';
import { auditEventFromSinkMessage, PUBSUB_MESSAGE_PUBLISHED } from './log-sink';

export { cloudEventFromBinary, type HttpHeaders } from './binary';
export { AUDIT_LOG_WRITTEN } from './envelope';
export { PUBSUB_MESSAGE_PUBLISHED } from './log-sink';
export { WATCHED_GCP_METHODS } from './methods';

/**
 * Turns one Eventarc audit-log CloudEvent (structured mode, or binary mode via cloudEventFromBinary) into a Trigger
 * naming what to re-check, or a reason to ignore it. Reads compute networks / routes / subnetworks calls and Resource
 * Manager project creation. Throws MalformedEventError for anything it cannot read.
 */
export function normalizeGcpEvent(event: unknown, opts: NormalizeOptions): NormalizeResult {
  const delivered = parseShape(
    CloudEventSchema,
    event,
    'GCP event',
    'expected a CloudEvent (specversion, id, type, source, data); for binary mode use cloudEventFromBinary first.',
  );
  // The organization log sink's Pub/Sub topic carries the same audit-log entries, wrapped in a Pub/Sub message.
  const cloudEvent =
    delivered.type === PUBSUB_MESSAGE_PUBLISHED ? { ...delivered, ...auditEventFromSinkMessage(delivered) } : delivered;
  if (cloudEvent.type !== AUDIT_LOG_WRITTEN) {
    throw new MalformedEventError(
      `GCP event ${cloudEvent.id} has type "${cloudEvent.type}", which peerkeeper does not read; ` +
        `the Eventarc trigger should filter type=${AUDIT_LOG_WRITTEN} (or deliver the log sink's Pub/Sub topic).`,
    );
  }
  const entry = parseShape(
    LogEntryDataSchema,
    cloudEvent.data,
    `GCP event ${cloudEvent.id}`,
    'an audit-log CloudEvent needs data.protoPayload.methodName.',
    'data.',
  );
  const { methodName, status, authenticationInfo } = entry.protoPayload;
  // Long-running calls (addPeering, networks.insert) log twice; the state is worth reading only after the last entry.
  if (entry.operation && entry.operation.last !== true)
    return ignore(`${methodName}: operation not finished`, cloudEvent.id);
  const code = status?.code;
  if (code !== undefined && Number(code) !== 0) {
    return ignore(`${methodName} failed (code ${code}${status?.message ? `: ${status.message}` : ''})`, cloudEvent.id);
  }
  const actor = authenticationInfo?.principalEmail || undefined;
  if (isOwnIdentity(actor, opts.identities))
    return ignore(`${methodName} was made by peerkeeper itself (${actor})`, cloudEvent.id);

  const outcome = scopeForMethod(entry);
  if (typeof outcome === 'string') return ignore(outcome, cloudEvent.id);
  const at = entry.timestamp ?? cloudEvent.time;
  return work(
    {
      ...outcome,
      eventId: cloudEvent.id,
      source: methodName,
      ...(actor ? { actor } : {}),
      ...(at ? { at } : {}),
    },
    'GCP',
  );
}
