import { TableClient } from '@azure/data-tables';
import { AzureTableApprovalStore, AzureTableAuditLog, ensureTable } from '../../shared/stores/azure-table';
import { startAzurite, type Azurite } from './azurite';
import { sampleRecord, storeContract } from './contract';

describe('Azure Table stores (Azurite 3.35)', () => {
  let azurite: Azurite;
  let tables = 0;

  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  const table = async (): Promise<TableClient> => {
    const client = TableClient.fromConnectionString(azurite.connectionString, `peerkeeper${++tables}`, {
      allowInsecureConnection: true,
    });
    await ensureTable(client);
    await ensureTable(client); // creating an existing table is not an error
    return client;
  };

  storeContract({
    approvals: async () => new AzureTableApprovalStore(await table()),
    audit: async () => new AzureTableAuditLog(await table()),
  });

  it('keeps the record intact through JSON and the etag-guarded replace', async () => {
    const store = new AzureTableApprovalStore(await table());
    const record = sampleRecord(
      '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1/virtualNetworkPeerings/p#1?',
    );
    await store.put(record);
    const decided = { ...record, status: 'approved' as const, message: { channel: 'C1', ts: '1.2' }, version: 2 };
    expect(await store.compareAndSet(decided, 1)).toBe(true);
    expect(await store.get(record.id)).toEqual(decided);
  });
});
