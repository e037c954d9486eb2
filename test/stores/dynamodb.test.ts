import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import { approvalTableInput, auditTableInput, DynamoApprovalStore, DynamoAuditLog } from '../../shared/stores/dynamodb';
import { sampleRecord, storeContract } from './contract';
import { createHubServices } from '../../shared/providers/aws/hub';

describe('DynamoDB stores (dynalite)', () => {
  let server: Server;
  let client: DynamoDBClient;
  let tables = 0;

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const table = async (input: (name: string) => ReturnType<typeof approvalTableInput>): Promise<string> => {
    const name = `peerkeeper-test-${++tables}`;
    await client.send(new CreateTableCommand(input(name)));
    return name;
  };

  storeContract({
    approvals: async () => new DynamoApprovalStore({ client, tableName: await table(approvalTableInput) }),
    audit: async () => new DynamoAuditLog({ client, tableName: await table(auditTableInput) }),
  });

  it('stores the TTL attribute expiresAtEpoch = expiry + retention, in seconds', async () => {
    const tableName = await table(approvalTableInput);
    const store = new DynamoApprovalStore({ client, tableName, retentionMs: 3_600_000 });
    const record = sampleRecord('pcx-ttl', { expiresAt: '2024-05-04T10:00:00.000Z' });
    await store.put(record);
    const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const raw = await client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: record.id } } }));
    expect(raw.Item?.expiresAtEpoch?.N).toBe(String(Date.parse('2024-05-04T11:00:00.000Z') / 1000));
    expect(await store.get(record.id)).toEqual(record);
  });

  it.each([
    {
      reason: 'with a retention, DynamoDB TTL removes the entry that many days after it was written',
      retentionDays: 400,
      expected: String(Date.parse('2026-01-01T00:00:00.000Z') / 1000 + 400 * 86_400),
    },
    {
      reason: 'without one, the entry carries no TTL attribute and is kept',
      retentionDays: undefined,
      expected: undefined,
    },
  ])('audit entries: $reason', async ({ retentionDays, expected }) => {
    const tableName = await table(auditTableInput);
    const audit = new DynamoAuditLog({ client, tableName, ...(retentionDays === undefined ? {} : { retentionDays }) });
    const entry = {
      id: 'a1',
      at: '2026-01-01T00:00:00.000Z',
      actor: 'peerkeeper',
      action: 'replace-route',
      subject: 'aws:rtb-1:10.1.0.0/16',
      reason: 'drift',
      outcome: 'done',
    };
    await audit.append(entry);
    const { ScanCommand } = await import('@aws-sdk/client-dynamodb');
    const raw = await client.send(new ScanCommand({ TableName: tableName }));
    expect(raw.Items?.[0]?.expiresAtEpoch?.N).toBe(expected);
    expect(await audit.list()).toEqual([entry]);
  });

  it.each([
    { reason: 'unset keeps entries forever', value: undefined, expected: undefined },
    {
      reason: 'a whole number of days sets the TTL that far after each entry',
      value: '30',
      expected: String(Date.parse('2026-01-01T00:00:00.000Z') / 1000 + 30 * 86_400),
    },
  ])('PEERKEEPER_AUDIT_RETENTION_DAYS: $reason', async ({ value, expected }) => {
    const tableName = await table(auditTableInput);
    const saved = { ...process.env };
    // The hub's DynamoDB client is built from the environment, as in Lambda: point it at dynalite.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: await client.config.endpoint!().then(
        (e) => `${e.protocol}//${e.hostname}:${String(e.port)}`,
      ),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    try {
      const services = createHubServices({
        PEERKEEPER_AUDIT_TABLE: tableName,
        ...(value === undefined ? {} : { PEERKEEPER_AUDIT_RETENTION_DAYS: value }),
      });
      await services.audit!.append({
        id: 'a2',
        at: '2026-01-01T00:00:00.000Z',
        actor: 'peerkeeper',
        action: 'create-route',
        subject: 's',
        reason: 'r',
        outcome: 'done',
      });
    } finally {
      process.env = saved;
    }
    const { ScanCommand } = await import('@aws-sdk/client-dynamodb');
    expect((await client.send(new ScanCommand({ TableName: tableName }))).Items?.[0]?.expiresAtEpoch?.N).toBe(expected);
  });

  it.each(['0', '-5', '1.5', 'forever'])('refuses PEERKEEPER_AUDIT_RETENTION_DAYS=%s at cold start', (value) => {
    expect(() =>
      createHubServices({ PEERKEEPER_AUDIT_TABLE: 'audit', PEERKEEPER_AUDIT_RETENTION_DAYS: value }),
    ).toThrow(/expected a whole number of days/);
  });

  it('reports a missing table as a terminal error', async () => {
    const store = new DynamoApprovalStore({ client, tableName: 'no-such-table' });
    await expect(store.get('x')).rejects.toMatchObject({ name: 'TerminalError', code: 'ResourceNotFoundException' });
  });
});
