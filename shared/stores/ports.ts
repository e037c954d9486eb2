import { z } from 'zod';
import type { ApprovalRecord, ApprovalStatus } from '../approvals/record';
import { TerminalError } from '../errors';

/**
 * Where approvals live. Conditional writes are the concurrency primitive (DESIGN §8): `put` creates
 * only if absent, `compareAndSet` writes only if the stored version is the one the writer read.
 */
export interface ApprovalStore {
  /** Creates the record if no record with its id exists. Never overwrites. */
  put(record: ApprovalRecord): Promise<'created' | 'exists'>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  /**
   * Replaces the stored record iff its version is `expectedVersion`; `record.version` must be
   * `expectedVersion + 1`. False when another writer got there first (or the record is gone).
   */
  compareAndSet(record: ApprovalRecord, expectedVersion: number): Promise<boolean>;
  /** Every record in `status`, oldest `createdAt` first. */
  listByStatus(status: ApprovalStatus): Promise<ApprovalRecord[]>;
}

/** `Date#toISOString()` form, so that string order is time order in every store's key. */
const isoMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * One audit record: every automatic accept, reject, revert and every human decision.
 * `actor` is who or what (`peerkeeper`, `slack:U012AB3CD`, `cli:alice`), `action` what was done
 * (`accept-peering`, `approve`, `expire`, …), `subject` what it was done to (`aws:pcx-…`).
 */
export const AuditEntrySchema = z.object({
  id: z.string().min(1),
  at: z.string().regex(isoMillis, 'an ISO 8601 UTC timestamp with milliseconds (Date#toISOString)'),
  actor: z.string().min(1),
  action: z.string().min(1),
  subject: z.string().min(1),
  reason: z.string(),
  planHash: z.string().optional(),
  /** done | converged | skipped | failed | approved | rejected | expired | refused | pending | … */
  outcome: z.string().min(1),
  eventId: z.string().optional(),
  /** The cloud the entry is about, so `peerkeeper report` can split one log by cloud. */
  cloud: z.enum(['aws', 'azure', 'gcp']).optional(),
  /** The policy connection the action served. */
  connection: z.string().optional(),
  /** What kind of finding the entry records (`route-drift`, `peering-drift`, `unmanaged-peering`, `unreadable-partition`, `conformance`). */
  kind: z.string().optional(),
  /** When the condition this entry resolves was first seen (the event's time, else the observation's): time-to-revert = at − detectedAt. */
  detectedAt: z.string().regex(isoMillis).optional(),
  /** Tallies of a `conformance` entry (desired, converged, pending, held, refused links of one sweep). */
  counts: z.record(z.string(), z.number().int().nonnegative()).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export interface AuditListOptions {
  /** Only entries at or after this ISO timestamp. */
  since?: string;
  /** At most this many entries (the oldest ones at or after `since`: page forward with `since`). */
  limit?: number;
}

/**
 * The append-only audit log. Entries list in time order (`at`, then `id`), whatever order they were
 * appended in; appending the same entry (same `at` and `id`) twice keeps one, so retries are safe.
 */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  list(opts?: AuditListOptions): Promise<AuditEntry[]>;
}

/** Rejects a compare-and-set whose new version is not the next one: a caller bug, not a lost race. */
export function assertNextVersion(record: ApprovalRecord, expectedVersion: number): void {
  if (record.version !== expectedVersion + 1) {
    throw new TerminalError(`approval ${record.id}: new version ${record.version} is not ${expectedVersion} + 1`);
  }
}

/** The sort key of an audit entry; ISO-millis timestamps sort as strings. */
export function auditOrderKey(entry: Pick<AuditEntry, 'at' | 'id'>): string {
  return `${entry.at}|${entry.id}`;
}

/** Applies `since` and `limit` to entries already in time order. */
export function pageAudit(sorted: readonly AuditEntry[], opts: AuditListOptions = {}): AuditEntry[] {
  const from = opts.since === undefined ? sorted : sorted.filter((e) => e.at >= opts.since!);
  return opts.limit === undefined ? [...from] : from.slice(0, Math.max(0, opts.limit));
}

/** Orders audit entries by time, then id. */
export function compareAudit(a: AuditEntry, b: AuditEntry): number {
  const ka = auditOrderKey(a);
  const kb = auditOrderKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
