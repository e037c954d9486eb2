import { type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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

/** GSI that lists approvals by status, oldest first (status is hash, createdAt is range). */
export const STATUS_INDEX = 'status-createdAt';
/** The audit table's single partition: decisions and actions are tens a day, far below 1,000 writes/s. */
const AUDIT_PARTITION = 'audit';
/** Final records stay this long after expiry (then DynamoDB TTL removes them; the audit log keeps the history). */
const DEFAULT_RETENTION_MS = 30 * 24 * 3_600_000;

/** The approvals table: key `id`, TTL attribute `expiresAtEpoch`, the status index. For infra and tests. */
export function approvalTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: STATUS_INDEX,
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** The audit table: key (`log`, `key` = `at|id`), so a Query returns entries in time order. */
export function auditTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'log', AttributeType: 'S' },
      { AttributeName: 'key', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'log', KeyType: 'HASH' },
      { AttributeName: 'key', KeyType: 'RANGE' },
    ],
  };
}

function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Approvals in DynamoDB; conditional puts (`attribute_not_exists`, `version = :v`) are the concurrency primitive. */
export class DynamoApprovalStore implements ApprovalStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly retentionMs: number;

  constructor(private readonly options: { client: DynamoDBClient; tableName: string; retentionMs?: number }) {
    this.doc = documentClient(options.client);
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  async put(record: ApprovalRecord): Promise<'created' | 'exists'> {
    const written = await this.conditionalPut(record, 'attribute_not_exists(#id)', { '#id': 'id' });
    return written ? 'created' : 'exists';
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const out = await call(() =>
      this.doc.send(new GetCommand({ TableName: this.options.tableName, Key: { id }, ConsistentRead: true })),
    );
    return out.Item === undefined ? undefined : ApprovalRecordSchema.parse(out.Item);
  }

  async compareAndSet(record: ApprovalRecord, expectedVersion: number): Promise<boolean> {
    assertNextVersion(record, expectedVersion);
    return this.conditionalPut(record, '#v = :expected', { '#v': 'version' }, { ':expected': expectedVersion });
  }

  async listByStatus(status: ApprovalStatus): Promise<ApprovalRecord[]> {
    const records: ApprovalRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await call(() =>
        this.doc.send(
          new QueryCommand({
            TableName: this.options.tableName,
            IndexName: STATUS_INDEX,
            KeyConditionExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': status },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) records.push(ApprovalRecordSchema.parse(item));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return records;
  }

  private async conditionalPut(
    record: ApprovalRecord,
    condition: string,
    names: Record<string, string>,
    values?: Record<string, unknown>,
  ): Promise<boolean> {
    const valid = ApprovalRecordSchema.parse(record);
    const expiresAtEpoch = Math.ceil((Date.parse(valid.expiresAt) + this.retentionMs) / 1000);
    try {
      await call(() =>
        this.doc.send(
          new PutCommand({
            TableName: this.options.tableName,
            Item: { ...valid, expiresAtEpoch },
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof TerminalError && error.code === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

/** The audit log in DynamoDB: one item per entry, `attribute_not_exists` makes a repeated append a no-op. */
export class DynamoAuditLog implements AuditLog {
  private readonly doc: DynamoDBDocumentClient;

  /** `retentionDays`: DynamoDB's TTL removes an entry that long after it was written; unset keeps entries forever. */
  constructor(private readonly options: { client: DynamoDBClient; tableName: string; retentionDays?: number }) {
    this.doc = documentClient(options.client);
  }

  async append(entry: AuditEntry): Promise<void> {
    const valid = AuditEntrySchema.parse(entry);
    const days = this.options.retentionDays;
    const expiry =
      days === undefined ? {} : { expiresAtEpoch: Math.floor(Date.parse(valid.at) / 1000) + days * 86_400 };
    try {
      await call(() =>
        this.doc.send(
          new PutCommand({
            TableName: this.options.tableName,
            Item: { ...valid, log: AUDIT_PARTITION, key: auditOrderKey(valid), ...expiry },
            ConditionExpression: 'attribute_not_exists(#k)',
            ExpressionAttributeNames: { '#k': 'key' },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof TerminalError && error.code === 'ConditionalCheckFailedException')) throw error;
    }
  }

  async list(opts: AuditListOptions = {}): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await call(() =>
        this.doc.send(
          new QueryCommand({
            TableName: this.options.tableName,
            ConsistentRead: true,
            KeyConditionExpression: opts.since === undefined ? '#l = :l' : '#l = :l AND #k >= :since',
            ExpressionAttributeNames: opts.since === undefined ? { '#l': 'log' } : { '#l': 'log', '#k': 'key' },
            ExpressionAttributeValues:
              opts.since === undefined ? { ':l': AUDIT_PARTITION } : { ':l': AUDIT_PARTITION, ':since': opts.since },
            Limit: opts.limit,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) entries.push(AuditEntrySchema.parse(item));
      start = opts.limit !== undefined && entries.length >= opts.limit ? undefined : page.LastEvaluatedKey;
    } while (start !== undefined);
    return pageAudit(entries, { limit: opts.limit });
  }
}

/** DynamoDB throttles with these codes; they and 5xx are worth retrying. */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);

async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Unknown';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
    const message = `DynamoDB: ${error instanceof Error ? error.message : String(error)}`;
    if (RETRYABLE.has(name) || status >= 500) throw new RetryableError(message, { code: name, cause: error });
    throw new TerminalError(message, { code: name, cause: error });
  }
}
