import { MalformedEventError } from '../../errors';
import { isOwnIdentity } from '../identity';
import { ignore, work, type NormalizeOptions, type NormalizeResult } from '../result';
import { asRecord, parseShape } from '../shape';
import {
  callerIdentities,
  parseAzureEnvelope,
  ResourceEventDataSchema,
  SUBSCRIPTION_VALIDATION_EVENT,
} from './envelope';
import { scopeForOperation } from './operations';

export { UNKNOWN_REGION } from './operations';

/** Resource Manager event types that mean the operation completed. */
const SUCCESS_TYPES: readonly string[] = [
  'Microsoft.Resources.ResourceWriteSuccess',
  'Microsoft.Resources.ResourceDeleteSuccess',
  'Microsoft.Resources.ResourceActionSuccess',
];

/**
 * Turns one Event Grid event (Event Grid schema or CloudEvents 1.0, told apart by `specversion`) into a Trigger
 * naming what to re-check, or a reason to ignore it. Reads Microsoft.Resources.Resource* events for VNets, VNet
 * peerings, subnets, route tables, routes, Virtual WAN hub connections and hub route tables, and subscription
 * aliases. Throws MalformedEventError for anything else.
 */
export function normalizeAzureEvent(event: unknown, opts: NormalizeOptions): NormalizeResult {
  const envelope = parseAzureEnvelope(event);
  if (envelope.type === SUBSCRIPTION_VALIDATION_EVENT) return ignore('subscription validation', envelope.id);
  if (!envelope.type.startsWith('Microsoft.Resources.')) {
    throw new MalformedEventError(
      `Azure event ${envelope.id} has type "${envelope.type}", which peerkeeper does not read; ` +
        'subscribe it to Microsoft.Resources.ResourceWriteSuccess, ResourceDeleteSuccess and ResourceActionSuccess.',
    );
  }
  // Failure and Cancel events changed nothing that needs re-checking.
  if (!SUCCESS_TYPES.includes(envelope.type))
    return ignore(`${envelope.type}: the operation did not succeed`, envelope.id);

  const data = parseShape(
    ResourceEventDataSchema,
    envelope.data,
    `Azure event ${envelope.id}`,
    'a Microsoft.Resources event needs data.operationName.',
    'data.',
  );
  if (data.status !== undefined && data.status.toLowerCase() !== 'succeeded') {
    // "Accepted" / "Started" precede the final status of asynchronous ARM operations; only the end is worth reading.
    return ignore(`${data.operationName} status is ${data.status}, not Succeeded`, envelope.id);
  }
  const callers = callerIdentities(data);
  const own = callers.find((caller) => isOwnIdentity(caller, opts.identities));
  if (own) return ignore(`${data.operationName} was made by peerkeeper itself (${own})`, envelope.id);

  const outcome = scopeForOperation(data, data.resourceUri ?? envelope.subject, envelope.type);
  if (typeof outcome === 'string') return ignore(outcome, envelope.id);
  const [actor] = callers;
  return work(
    {
      ...outcome,
      eventId: envelope.id,
      source: data.operationName,
      ...(actor ? { actor } : {}),
      ...(envelope.time ? { at: envelope.time } : {}),
    },
    'Azure',
  );
}

/**
 * Event Grid delivers webhook batches as a JSON array (up to 5,000 events by default); a single object is a batch
 * of one. One unreadable event fails the batch so it is dead-lettered whole, with the index in the message.
 */
export function normalizeAzureEvents(body: unknown, opts: NormalizeOptions): NormalizeResult[] {
  if (!Array.isArray(body)) return [normalizeAzureEvent(body, opts)];
  return body.map((event, index) => {
    try {
      return normalizeAzureEvent(event, opts);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      throw new MalformedEventError(`Event Grid batch item ${index}: ${error.message}`, { cause: error });
    }
  });
}

/**
 * The code to echo back (`{ validationResponse: code }`) when Event Grid validates a webhook subscription, or
 * undefined when the body is not that handshake. Never throws: any body can be asked.
 */
export function subscriptionValidationCode(body: unknown): string | undefined {
  const events: unknown[] = Array.isArray(body) ? body : [body];
  for (const event of events) {
    const record = asRecord(event);
    if (record?.['eventType'] !== SUBSCRIPTION_VALIDATION_EVENT) continue;
    const code = asRecord(record['data'])?.['validationCode'];
    if (typeof code === 'string' && code.length > 0) return code;
  }
  return undefined;
}
