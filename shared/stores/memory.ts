import { ApprovalRecordSchema, type ApprovalRecord, type ApprovalStatus } from '../approvals/record';
import {
  assertNextVersion,
  AuditEntrySchema,
  auditOrderKey,
  compareAudit,
  pageAudit,
  type ApprovalStore,
  type AuditEntry,
  type AuditListOptions,
  type AuditLog,
} from './ports';

/** Approvals in a Map, for unit tests and `--provider memory`. Copies on the way in and out. */
export class MemoryApprovalStore implements ApprovalStore {
  private readonly records = new Map<string, ApprovalRecord>();

  async put(record: ApprovalRecord): Promise<'created' | 'exists'> {
    if (this.records.has(record.id)) return 'exists';
    this.records.set(record.id, ApprovalRecordSchema.parse(record));
    return 'created';
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const record = this.records.get(id);
    return record === undefined ? undefined : structuredClone(record);
  }

  async compareAndSet(record: ApprovalRecord, expectedVersion: number): Promise<boolean> {
    assertNextVersion(record, expectedVersion);
    const current = this.records.get(record.id);
    if (current === undefined || current.version !== expectedVersion) return false;
    this.records.set(record.id, structuredClone(record));
    return true;
  }

  async listByStatus(status: ApprovalStatus): Promise<ApprovalRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.status === status)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((r) => structuredClone(r));
  }
}

/** An audit log in memory. */
export class MemoryAuditLog implements AuditLog {
  private readonly entries = new Map<string, AuditEntry>();

  async append(entry: AuditEntry): Promise<void> {
    const valid = AuditEntrySchema.parse(entry);
    const key = auditOrderKey(valid);
    if (!this.entries.has(key)) this.entries.set(key, valid);
  }

  async list(opts?: AuditListOptions): Promise<AuditEntry[]> {
    return pageAudit([...this.entries.values()].sort(compareAudit), opts).map((e) => structuredClone(e));
  }
}
