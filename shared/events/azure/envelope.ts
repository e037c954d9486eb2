import { z } from 'zod';
import { CloudEventSchema } from '../cloud-event';
import { parseShape } from '../shape';

/** Event Grid schema: `eventType` / `eventTime` / `topic`. */
const EventGridEventSchema = z.looseObject({
  id: z.string().min(1),
  eventType: z.string().min(1),
  subject: z.string().optional(),
  eventTime: z.string().optional(),
  data: z.unknown().optional(),
});

/** One Azure event in either delivery schema, reduced to the fields peerkeeper reads. */
export interface AzureEnvelope {
  id: string;
  type: string;
  subject: string | undefined;
  time: string | undefined;
  data: unknown;
}

/** Reads an Event Grid or CloudEvents event; the two carry the same `data` for Microsoft.Resources events. */
export function parseAzureEnvelope(event: unknown): AzureEnvelope {
  const isCloudEvent = typeof event === 'object' && event !== null && !Array.isArray(event) && 'specversion' in event;
  if (isCloudEvent) {
    const ce = parseShape(
      CloudEventSchema,
      event,
      'Azure CloudEvent',
      'expected specversion, id, type, source and data.',
    );
    return { id: ce.id, type: ce.type, subject: ce.subject, time: ce.time, data: ce.data };
  }
  const eg = parseShape(
    EventGridEventSchema,
    event,
    'Azure event',
    'expected an Event Grid event (id, eventType, data) or a CloudEvent (specversion, id, type, source).',
  );
  return { id: eg.id, type: eg.eventType, subject: eg.subject, time: eg.eventTime, data: eg.data };
}

/** The `data` of Microsoft.Resources.Resource* events (Azure Resource Manager's activity, as Event Grid forwards it). */
export const ResourceEventDataSchema = z.looseObject({
  operationName: z.string().min(1),
  status: z.string().optional(),
  resourceUri: z.string().optional(),
  subscriptionId: z.string().optional(),
  claims: z.record(z.string(), z.unknown()).nullish(),
  authorization: z
    .looseObject({
      evidence: z.looseObject({ principalId: z.string().optional() }).nullish(),
    })
    .nullish(),
});
export type ResourceEventData = z.infer<typeof ResourceEventDataSchema>;

/** The token claims naming the caller's object id: AAD v1 tokens spell it as a URI, v2 tokens as `oid`. */
const OBJECT_ID_CLAIMS = ['oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier'];

/**
 * Who caused the event, most specific first: the principal the role assignment was evaluated for, the token's
 * object id, then the application id. Each one is checked against peerkeeper's identities.
 */
export function callerIdentities(data: ResourceEventData): string[] {
  const claims = data.claims ?? {};
  const found = [
    data.authorization?.evidence?.principalId,
    ...OBJECT_ID_CLAIMS.map((key) => claims[key]),
    claims['appid'],
  ];
  return found.filter((value): value is string => typeof value === 'string' && value.length > 0);
}

/** Event Grid's handshake event, sent once when a webhook subscription is created. */
export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';
