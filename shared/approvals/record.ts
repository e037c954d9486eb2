import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CloudSchema, NetworkRefSchema, type Cloud } from '../model';

/** Where an approval is in its life. Only `pending` can change; the other four are final. */
export const ApprovalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'superseded']);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

/** The chat message that carries the Approve / Reject buttons, so it can be updated with the outcome. */
export const ApprovalMessageRefSchema = z.object({ channel: z.string().min(1), ts: z.string().min(1) });
export type ApprovalMessageRef = z.infer<typeof ApprovalMessageRefSchema>;

/**
 * One request the policy routed to chat. `version` starts at 1 and every change bumps it by one:
 * stores accept a change only if the stored version is the one the writer read (first writer wins).
 */
export const ApprovalRecordSchema = z.object({
  id: z.string().min(1),
  cloud: CloudSchema,
  peeringId: z.string().min(1),
  requester: NetworkRefSchema,
  accepter: NetworkRefSchema,
  requesterCidrs: z.array(z.string()),
  accepterCidrs: z.array(z.string()),
  /** Network names, when the observation knows them. */
  requesterName: z.string().optional(),
  accepterName: z.string().optional(),
  /** Account / subscription / project display names (optional extension of the brief's shape). */
  requesterAccountName: z.string().optional(),
  accepterAccountName: z.string().optional(),
  /** The policy connection that routed the request to chat. */
  connection: z.string().optional(),
  /**
   * `attachment`: attaching the requester (a spoke network) to the accepter (a transit hub); `peeringId` is then the
   * attachment's id, or `attach:<network>@<hub>` before one exists. Absent: a peering.
   */
  link: z.literal('attachment').optional(),
  /** The policy's reason, shown to the approvers. */
  reason: z.string().min(1),
  status: ApprovalStatusSchema,
  createdAt: z.string().min(1),
  expiresAt: z.string().min(1),
  /** The requester's approver identity (Slack user id, name or email): that identity may not approve. */
  requestedBy: z.string().optional(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  note: z.string().optional(),
  /** Hash of the plan that asked for the approval (audit trail). */
  planHash: z.string().optional(),
  message: ApprovalMessageRefSchema.optional(),
  version: z.number().int().positive(),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/** AWS keeps a peering request in pending-acceptance for 7 days, then it expires. */
export const AWS_PENDING_PEERING_LIFETIME_MS = 7 * 24 * 3_600_000;
/** An approval closes this long before the cloud's own expiry, so an approval never races the cloud. */
export const CLOUD_EXPIRY_MARGIN_MS = 3_600_000;

/**
 * The approval id of a peering request. Deterministic, so duplicate events for the same request map to
 * the same record (and the same chat message). 12 hex digits of SHA-256 = 48 bits: collisions need
 * ~16 million requests; short enough to type in `/peerkeeper approve aws-3f9a0c1b2d4e`. Safe as a
 * DynamoDB key, an Azure RowKey, a GCS object name and a Slack button value.
 */
export function approvalId(cloud: Cloud, peeringId: string): string {
  const digest = createHash('sha256').update(`${cloud}:${peeringId}`).digest('hex');
  return `${cloud}-${digest.slice(0, 12)}`;
}

/**
 * When an approval requested at `now` expires: the policy ttl, but at least one hour before the
 * cloud's own expiry of the request (AWS: 7 days after it was made), when the cloud has one.
 */
export function approvalExpiry(now: Date, ttlMs: number, cloudExpiresAt?: string): string {
  let expires = now.getTime() + ttlMs;
  if (cloudExpiresAt !== undefined) {
    const cloud = Date.parse(cloudExpiresAt);
    if (Number.isNaN(cloud)) throw new RangeError(`not a timestamp: ${cloudExpiresAt}`);
    expires = Math.min(expires, cloud - CLOUD_EXPIRY_MARGIN_MS);
  }
  return new Date(expires).toISOString();
}

/** True when the record is past its expiry at `now` (expiry is exclusive: at `expiresAt` it is expired). */
export function isPastExpiry(record: Pick<ApprovalRecord, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(record.expiresAt);
}

/** The subject string audit entries use for a peering: `cloud:peeringId`. */
export function approvalSubject(record: Pick<ApprovalRecord, 'cloud' | 'peeringId'>): string {
  return `${record.cloud}:${record.peeringId}`;
}
