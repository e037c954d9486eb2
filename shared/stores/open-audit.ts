import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TableClient } from '@azure/data-tables';
import { TerminalError } from '../errors';
import { applicationDefaultCredentials } from '../providers/gcp/connect';
import { AzureTableAuditLog } from './azure-table';
import { DynamoAuditLog } from './dynamodb';
import { FileAuditLog } from './file';
import { GcsAuditLog } from './gcs';
import { compareAudit, type AuditEntry, type AuditLog } from './ports';

/** The store kinds an audit-log address can name. */
export const AUDIT_STORE_KINDS = ['file', 'dynamodb', 'azure-table', 'gcs'] as const;

/**
 * Opens a deployed audit log by address, for reading it from a workstation (`peerkeeper report`):
 *   file:<dir>                      the embedded log (`<state-dir>/audit`)
 *   dynamodb:<table>                the AWS deployment's audit table (the default credential chain and region;
 *                                   AWS_ENDPOINT_URL_DYNAMODB for a stand-in)
 *   azure-table:<table>             the Azure function app's table; AZURE_STORAGE_CONNECTION_STRING says where
 *   gcs:<bucket>[/<prefix>]         the GCP state bucket (`audit/` under peerkeeper's prefix); application default
 *                                   credentials, or PEERKEEPER_GCS_ENDPOINT for the local emulator
 */
export function openAuditLog(address: string, env: NodeJS.ProcessEnv = process.env): AuditLog {
  const colon = address.indexOf(':');
  const kind = colon < 0 ? '' : address.slice(0, colon);
  const rest = address.slice(colon + 1);
  if (!rest)
    throw new TerminalError(
      `audit store "${address}": expected <kind>:<name> with kind one of ${AUDIT_STORE_KINDS.join(', ')}`,
    );
  switch (kind) {
    case 'file':
      return new FileAuditLog(rest);
    case 'dynamodb':
      return new DynamoAuditLog({ client: new DynamoDBClient({ maxAttempts: 3 }), tableName: rest });
    case 'azure-table': {
      const connection = env.AZURE_STORAGE_CONNECTION_STRING;
      if (!connection)
        throw new TerminalError(
          'azure-table: set AZURE_STORAGE_CONNECTION_STRING to the function app storage account (terraform output storage_account)',
        );
      return new AzureTableAuditLog(
        TableClient.fromConnectionString(connection, rest, {
          allowInsecureConnection: /^(UseDevelopmentStorage|.*http:\/\/127\.0\.0\.1)/.test(connection),
        }),
      );
    }
    case 'gcs': {
      const [bucket, ...prefix] = rest.split('/');
      const endpoint = env.PEERKEEPER_GCS_ENDPOINT;
      const tokens = endpoint
        ? undefined
        : applicationDefaultCredentials(['https://www.googleapis.com/auth/devstorage.read_only']);
      return new GcsAuditLog({
        bucket: bucket!,
        ...(prefix.length ? { prefix: `${prefix.join('/')}/` } : {}),
        ...(endpoint ? { baseUrl: endpoint } : {}),
        ...(tokens
          ? {
              getAccessToken: async () =>
                (await tokens.headers('https://storage.googleapis.com/')).authorization?.replace(/^Bearer /i, ''),
            }
          : {}),
      });
    }
    default:
      throw new TerminalError(
        `audit store "${address}": unknown kind "${kind}"; expected one of ${AUDIT_STORE_KINDS.join(', ')}`,
      );
  }
}

/** Reads several logs as one, in time order (one command over the three clouds' deployments); a failure names its store. */
export async function listAll(
  logs: readonly { address: string; log: AuditLog }[],
  since: string,
): Promise<AuditEntry[]> {
  const lists = await Promise.all(
    logs.map(async ({ address, log }) => {
      try {
        return await log.list({ since });
      } catch (error) {
        throw new TerminalError(
          `reading the audit log at ${address}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    }),
  );
  return lists.length === 1 ? lists[0]! : lists.flat().sort(compareAudit);
}
