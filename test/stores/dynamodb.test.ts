import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import { approvalTableInput, auditTableInput, DynamoApprovalStore, DynamoAuditLog } from '../../shared/stores/dynamodb';
import { sampleRecord, storeContract } from './contract';

describe('DynamoDB stores (dynalite)', () => {
  let server: Server;
  let client: DynamoDBClient;
  let tables = 0;

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1',
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

  it('reports a missing table as a terminal error', async () => {
    const store = new DynamoApprovalStore({ client, tableName: 'no-such-table' });
    await expect(store.get('x')).rejects.toMatchObject({ name: 'TerminalError', code: 'ResourceNotFoundException' });
  });
});
