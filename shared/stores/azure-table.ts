import { odata, type TableClient } from '@azure/data-tables';
import { ApprovalRecordSchema, type ApprovalRecord, type ApprovalStatus } from '../approvals/record';
import { RetryableError, TerminalError } from '../errors';
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

/** Approvals and audit entries each live in one partition: tens of writes a day, far below 2,000 entities/s. */
const APPROVAL_PARTITION = 'approval';
const AUDIT_PARTITION = 'audit';

/** The columns of an approval entity: the record as JSON, plus what queries filter on. */
interface ApprovalEntity {
  partitionKey: string;
  rowKey: string;
  status: string;
  version: number;
  createdAt: string;
  data: string;
}

/** Creates the table if it does not exist (the SDK treats 409 TableAlreadyExists as success). */
export async function ensureTable(client: TableClient): Promise<void> {
  await call(() => client.createTable());
}

/**
 * Approvals in Azure Table Storage. Create is `createEntity` (409 = exists); compare-and-set reads the
 * entity, checks the version and replaces it with `If-Match: <etag>`, so a writer that lost the race
 * between its read and its write gets 412 and returns false.
 */
export class AzureTableApprovalStore implements ApprovalStore {
  constructor(private readonly table: TableClient) {}

  async put(record: ApprovalRecord): Promise<'created' | 'exists'> {
    try {
      await call(() => this.table.createEntity(toEntity(ApprovalRecordSchema.parse(record))));
      return 'created';
    } catch (error) {
      if (statusOf(error) === 409) return 'exists';
      throw error;
    }
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    return (await this.read(id))?.record;
  }

  async compareAndSet(record: ApprovalRecord, expectedVersion: number): Promise<boolean> {
    assertNextVersion(record, expectedVersion);
    const valid = ApprovalRecordSchema.parse(record);
    const current = await this.read(valid.id);
    if (current === undefined || current.record.version !== expectedVersion) return false;
    try {
      await call(() => this.table.updateEntity(toEntity(valid), 'Replace', { etag: current.etag }));
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async listByStatus(status: ApprovalStatus): Promise<ApprovalRecord[]> {
    const records: ApprovalRecord[] = [];
    await call(async () => {
      const filter = odata`PartitionKey eq ${APPROVAL_PARTITION} and status eq ${status}`;
      for await (const entity of this.table.listEntities<ApprovalEntity>({ queryOptions: { filter } })) {
        records.push(ApprovalRecordSchema.parse(JSON.parse(entity.data)));
      }
    });
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private async read(id: string): Promise<{ record: ApprovalRecord; etag: string } | undefined> {
    try {
      const entity = await call(() => this.table.getEntity<ApprovalEntity>(APPROVAL_PARTITION, rowKey(id)));
      return { record: ApprovalRecordSchema.parse(JSON.parse(entity.data)), etag: entity.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}

/** The audit log in Azure Table Storage; RowKey `at|id` sorts in time order, a repeated append is a 409 no-op. */
export class AzureTableAuditLog implements AuditLog {
  constructor(private readonly table: TableClient) {}

  async append(entry: AuditEntry): Promise<void> {
    const valid = AuditEntrySchema.parse(entry);
    try {
      await call(() =>
        this.table.createEntity({
          partitionKey: AUDIT_PARTITION,
          rowKey: rowKey(auditOrderKey(valid)),
          data: JSON.stringify(valid),
        }),
      );
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
  }

  async list(opts: AuditListOptions = {}): Promise<AuditEntry[]> {
    const filter =
      opts.since === undefined
        ? odata`PartitionKey eq ${AUDIT_PARTITION}`
        : odata`PartitionKey eq ${AUDIT_PARTITION} and RowKey ge ${rowKey(opts.since)}`;
    const entries: AuditEntry[] = [];
    await call(async () => {
      for await (const entity of this.table.listEntities<{ data: string }>({ queryOptions: { filter } })) {
        entries.push(AuditEntrySchema.parse(JSON.parse(entity.data)));
        if (opts.limit !== undefined && entries.length >= opts.limit) break;
      }
    });
    return pageAudit(entries, { limit: opts.limit });
  }
}

function toEntity(record: ApprovalRecord): ApprovalEntity {
  return {
    partitionKey: APPROVAL_PARTITION,
    rowKey: rowKey(record.id),
    status: record.status,
    version: record.version,
    createdAt: record.createdAt,
    data: JSON.stringify(record),
  };
}

/** RowKeys may not contain / \ # ? or control characters; percent-encoding removes them and keeps order for ASCII keys. */
function rowKey(key: string): string {
  return encodeURIComponent(key);
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof TerminalError || error instanceof RetryableError) return statusOf(error.cause);
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** 408, 429 and 5xx are worth retrying (Table Storage throttles with 503 ServerBusy). */
async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const status = statusOf(error) ?? 0;
    const code = (error as { code?: unknown }).code;
    const message = `Azure Table Storage: ${error instanceof Error ? error.message : String(error)}`;
    const options = { code: typeof code === 'string' ? code : undefined, cause: error };
    if (status === 408 || status === 429 || status >= 500) throw new RetryableError(message, options);
    throw new TerminalError(message, options);
  }
}
