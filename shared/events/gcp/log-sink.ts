import { z } from 'zod';
import { parseShape } from '../shape';
import { AUDIT_LOG_WRITTEN } from './envelope';

/** The CloudEvent type Eventarc delivers Pub/Sub messages as. */
export const PUBSUB_MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';

const PubSubDataSchema = z.looseObject({
  message: z.looseObject({
    data: z.string().min(1),
    messageId: z.string().optional(),
    publishTime: z.string().optional(),
  }),
});

/**
 * A log entry an organization log sink exported to Pub/Sub (infra/gcp: the aggregated sink), delivered as a
 * `messagePublished` CloudEvent, turned into the audit-log CloudEvent Eventarc would have delivered: same LogEntry
 * (protoPayload, operation, resource, timestamp), id = the entry's insertId, so a sink redelivery is a duplicate.
 */
export function auditEventFromSinkMessage(cloudEvent: { id: string; data?: unknown; time?: string | undefined }): {
  id: string;
  type: string;
  data: unknown;
  time?: string;
} {
  const data = parseShape(
    PubSubDataSchema,
    cloudEvent.data,
    `GCP event ${cloudEvent.id}`,
    'a Pub/Sub CloudEvent needs data.message.data (base64).',
    'data.',
  );
  let entry: unknown;
  try {
    entry = JSON.parse(Buffer.from(data.message.data, 'base64').toString('utf8'));
  } catch {
    entry = undefined;
  }
  const insertId =
    typeof (entry as { insertId?: unknown } | undefined)?.insertId === 'string'
      ? (entry as { insertId: string }).insertId
      : undefined;
  const time = (entry as { timestamp?: unknown } | undefined)?.timestamp;
  return {
    id: insertId ?? data.message.messageId ?? cloudEvent.id,
    type: AUDIT_LOG_WRITTEN,
    data: entry,
    ...(typeof time === 'string' ? { time } : cloudEvent.time ? { time: cloudEvent.time } : {}),
  };
}
