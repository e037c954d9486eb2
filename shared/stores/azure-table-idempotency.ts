import { TableClient } from '@azure/data-tables';
import { RetryableError, TerminalError } from '../errors';
import { AzureTableApprovalStore, AzureTableAuditLog, ensureTable } from './azure-table';
import type { IdempotencyStore } from './idempotency';
import type { ApprovalStore, AuditLog } from './ports';

/** Every idempotency row lives in one partition: one row per event, far below a partition's 2,000 entities/s. */
const PARTITION = 'event';

/**
 * Idempotency records in Azure Table Storage: RowKey = the event id, `expiresAt` (epoch ms) checked on read.
 * Table Storage has no TTL; expired rows are overwritten when their key recurs and are otherwise inert
 * (a few hundred bytes per event).
 */
export class AzureTableIdempotencyStore implements IdempotencyStore {
  constructor(private readonly table: TableClient) {}

  async seen(key: string, now: Date): Promise<boolean> {
    try {
      const row = await this.table.getEntity<{ expiresAt: number }>(PARTITION, encodeURIComponent(key));
      return typeof row.expiresAt === 'number' && row.expiresAt > now.getTime();
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw typed(error);
    }
  }

  async remember(key: string, now: Date, ttlSeconds: number): Promise<void> {
    try {
      await this.table.upsertEntity(
        { partitionKey: PARTITION, rowKey: encodeURIComponent(key), expiresAt: now.getTime() + ttlSeconds * 1000 },
        'Replace',
      );
    } catch (error) {
      throw typed(error);
    }
  }
}

/** Table names the Azure functions use (Terraform creates them; `ensure` creates them too). */
export const AZURE_TABLES = {
  audit: 'peerkeeperaudit',
  idempotency: 'peerkeeperidempotency',
  approvals: 'peerkeeperapprovals',
} as const;

/**
 * The audit log, idempotency store and approvals on the function app's storage account (`AzureWebJobsStorage`
 * connection string). Tables are created on first use; creating an existing table is not an error.
 */
export async function azureTableServices(
  connectionString: string,
  opts: { allowInsecureConnection?: boolean } = {},
): Promise<{ audit: AuditLog; idempotency: IdempotencyStore; approvals: ApprovalStore }> {
  const client = (name: string) => TableClient.fromConnectionString(connectionString, name, opts);
  const audit = client(AZURE_TABLES.audit);
  const idempotency = client(AZURE_TABLES.idempotency);
  const approvals = client(AZURE_TABLES.approvals);
  await Promise.all([ensureTable(audit), ensureTable(idempotency), ensureTable(approvals)]);
  return {
    audit: new AzureTableAuditLog(audit),
    idempotency: new AzureTableIdempotencyStore(idempotency),
    approvals: new AzureTableApprovalStore(approvals),
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** 408, 429 and 5xx are worth retrying (Table Storage throttles with 503 ServerBusy). */
function typed(error: unknown): Error {
  const status = statusOf(error) ?? 0;
  const message = `Azure Table Storage (idempotency): ${error instanceof Error ? error.message : String(error)}`;
  return status === 408 || status === 429 || status >= 500
    ? new RetryableError(message, { cause: error })
    : new TerminalError(message, { cause: error });
}
