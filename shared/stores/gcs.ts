import { ApprovalRecordSchema, type ApprovalRecord, type ApprovalStatus } from '../approvals/record';
import {
  assertNextVersion,
  AuditEntrySchema,
  auditOrderKey,
  pageAudit,
  type ApprovalStore,
  type AuditEntry,
  type AuditListOptions,
  type AuditLog,
} from './ports';
import { GcsObjects, type GcsOptions } from './gcs-objects';

export type { GcsOptions } from './gcs-objects';

/**
 * Approvals as Cloud Storage objects `<prefix>approvals/<id>.json`. Create is an upload with
 * `ifGenerationMatch=0`; compare-and-set reads the object and its generation, checks the version and
 * uploads with `ifGenerationMatch=<generation>`, so the loser of a race gets 412 and false.
 * listByStatus reads every approval object: fine for hundreds; a bucket lifecycle rule should delete
 * objects older than the retention period.
 */
export class GcsApprovalStore implements ApprovalStore {
  private readonly objects: GcsObjects;
  private readonly prefix: string;

  constructor(options: GcsOptions & { prefix?: string }) {
    this.objects = new GcsObjects(options);
    this.prefix = `${options.prefix ?? ''}approvals/`;
  }

  async put(record: ApprovalRecord): Promise<'created' | 'exists'> {
    const valid = ApprovalRecordSchema.parse(record);
    return (await this.objects.write(this.nameOf(valid.id), JSON.stringify(valid), '0')) ? 'created' : 'exists';
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const read = await this.objects.read(this.nameOf(id));
    return read === undefined ? undefined : ApprovalRecordSchema.parse(JSON.parse(read.text));
  }

  async compareAndSet(record: ApprovalRecord, expectedVersion: number): Promise<boolean> {
    assertNextVersion(record, expectedVersion);
    const valid = ApprovalRecordSchema.parse(record);
    const name = this.nameOf(valid.id);
    const current = await this.objects.read(name);
    if (current === undefined || ApprovalRecordSchema.parse(JSON.parse(current.text)).version !== expectedVersion)
      return false;
    return this.objects.write(name, JSON.stringify(valid), current.generation);
  }

  async listByStatus(status: ApprovalStatus): Promise<ApprovalRecord[]> {
    const names = await this.objects.list(this.prefix);
    const records = await Promise.all(
      names.map(async (name) => {
        const read = await this.objects.read(name);
        return read === undefined ? undefined : ApprovalRecordSchema.parse(JSON.parse(read.text));
      }),
    );
    return records
      .filter((r): r is ApprovalRecord => r !== undefined && r.status === status)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private nameOf(id: string): string {
    return `${this.prefix}${encodeURIComponent(id)}.json`;
  }
}

/**
 * The audit log as one object per entry, `<prefix>audit/<at>|<id>.json`: object names list in
 * lexicographic order, which is time order for ISO-millis timestamps. `ifGenerationMatch=0` makes a
 * repeated append a no-op.
 */
export class GcsAuditLog implements AuditLog {
  private readonly objects: GcsObjects;
  private readonly prefix: string;

  constructor(options: GcsOptions & { prefix?: string }) {
    this.objects = new GcsObjects(options);
    this.prefix = `${options.prefix ?? ''}audit/`;
  }

  async append(entry: AuditEntry): Promise<void> {
    const valid = AuditEntrySchema.parse(entry);
    await this.objects.write(
      `${this.prefix}${encodeURIComponent(auditOrderKey(valid))}.json`,
      JSON.stringify(valid),
      '0',
    );
  }

  async list(opts: AuditListOptions = {}): Promise<AuditEntry[]> {
    const since = opts.since === undefined ? undefined : `${this.prefix}${encodeURIComponent(opts.since)}`;
    let names = (await this.objects.list(this.prefix)).filter((name) => since === undefined || name >= since);
    if (opts.limit !== undefined) names = names.slice(0, Math.max(0, opts.limit));
    const entries = await Promise.all(
      names.map(async (name) => {
        const read = await this.objects.read(name);
        return read === undefined ? undefined : AuditEntrySchema.parse(JSON.parse(read.text));
      }),
    );
    return pageAudit(entries.filter((e): e is AuditEntry => e !== undefined));
  }
}
