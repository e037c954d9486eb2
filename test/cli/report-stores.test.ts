import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TableClient } from '@azure/data-tables';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { startGcsEmulator, type GcsEmulator } from '../../infra/local/gcs/server';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';
import type { ComplianceReport } from '../../shared/report';
import { AzureTableAuditLog, ensureTable } from '../../shared/stores/azure-table';
import { auditTableInput, DynamoAuditLog } from '../../shared/stores/dynamodb';
import { GcsAuditLog } from '../../shared/stores/gcs';
import type { AuditEntry } from '../../shared/stores/ports';
import { startAzurite, type Azurite } from '../stores/azurite';

/**
 * One `peerkeeper report` over the three deployments' audit logs at once, each in its own store behind its real
 * client: DynamoDB (dynalite), Azure Table Storage (Azurite), Cloud Storage (the local JSON-API emulator).
 */
function capture(): CliOutput & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    color: false,
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}

const UNTIL = '2026-12-01T00:00:00.000Z';
const entry = (cloud: 'aws' | 'azure' | 'gcp', n: number, fields: Partial<AuditEntry> = {}): AuditEntry => ({
  id: `${cloud}-${n}`,
  at: new Date(Date.parse(UNTIL) - n * 3_600_000).toISOString(),
  actor: 'peerkeeper',
  action: 'replace-route',
  subject: `${cloud}:rtb-${n}`,
  reason: 'route drift',
  outcome: 'done',
  cloud,
  kind: 'route-drift',
  detectedAt: new Date(Date.parse(UNTIL) - n * 3_600_000 - 30_000).toISOString(),
  ...fields,
});

describe('peerkeeper report over DynamoDB, Azure Table Storage and Cloud Storage together', () => {
  let dynamo: Server;
  let azurite: Azurite;
  let gcs: GcsEmulator;
  const saved = { ...process.env };

  beforeAll(async () => {
    dynamo = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
    [azurite, gcs] = await Promise.all([startAzurite(), startGcsEmulator()]);
    // Where each client looks, as a user's shell would say it.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      PEERKEEPER_GCS_ENDPOINT: gcs.baseUrl,
    });

    const client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(new CreateTableCommand(auditTableInput('peerkeeper-prod-audit')));
    const aws = new DynamoAuditLog({ client, tableName: 'peerkeeper-prod-audit' });
    const table = TableClient.fromConnectionString(azurite.connectionString, 'peerkeeperaudit', {
      allowInsecureConnection: true,
    });
    await ensureTable(table);
    const azure = new AzureTableAuditLog(table);
    expect(
      (
        await fetch(`${gcs.baseUrl}/storage/v1/b?project=host`, {
          method: 'POST',
          body: JSON.stringify({ name: 'host-peerkeeper-state' }),
        })
      ).status,
    ).toBe(200);
    const gcp = new GcsAuditLog({ bucket: 'host-peerkeeper-state', baseUrl: gcs.baseUrl });
    for (let n = 1; n <= 3; n++) {
      await aws.append(entry('aws', n));
      await azure.append(entry('azure', n));
      await gcp.append(
        entry(
          'gcp',
          n,
          n === 3
            ? {
                action: 'reject-peering',
                kind: undefined,
                reason: 'request from vpc-9 (999999999999): account 999999999999 is not listed in the policy',
              }
            : {},
        ),
      );
    }
    client.destroy();
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await Promise.all([new Promise((resolve) => dynamo.close(resolve)), azurite?.stop(), gcs?.close()]);
  });

  it('reads every store and reports the three clouds as one estate', async () => {
    const io = capture();
    const code = await runCli(
      [
        'report',
        '--store',
        'dynamodb:peerkeeper-prod-audit,azure-table:peerkeeperaudit,gcs:host-peerkeeper-state',
        '--since',
        '7d',
        '--now',
        UNTIL,
        '--json',
      ],
      io,
    );
    expect({ code, stderr: io.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(io.stdout) as ComplianceReport;
    expect(report.entries).toBe(9);
    expect(report.clouds).toEqual(['aws', 'azure', 'gcp']);
    expect(report.drift).toMatchObject({
      found: 8,
      reverted: 8,
      timeToRevert: { count: 8, p50Ms: 30_000, p95Ms: 30_000 },
    });
    expect(report.rejections).toEqual([{ reason: 'requester account not listed in the policy', count: 1 }]);
  }, 30_000);

  it('says which store it cannot reach, and exits 1', async () => {
    const io = capture();
    expect(await runCli(['report', '--store', 'dynamodb:no-such-table', '--now', UNTIL], io)).toBe(1);
    expect(io.stderr).toMatch(
      /^Error: reading the audit log at dynamodb:no-such-table: DynamoDB: Requested resource not found/,
    );
  }, 30_000);
});
