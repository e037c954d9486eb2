import type { Policy } from '../policy';
import { defaultCredential } from '../providers/azure/connect';
import { KeyVaultSecretSource } from '../providers/azure/secrets';
import { cachedSecrets } from '../providers/secrets';
import type { ApprovalStore, AuditLog } from '../stores/ports';
import { APPROVAL_ENV, ApprovalWiring } from './approvals';
import type { RuntimeLog } from './aws-runtime';

/** The Key Vault holding the two Slack secrets (infra/azure/main.tf sets it: https://<vault>.vault.azure.net). */
export const AZURE_KEY_VAULT_URL = 'PEERKEEPER_KEY_VAULT_URL';

/** The function app's tables, opened on first use (TableClient creation awaits `createTable`). */
export type AzureApprovalTables = () => Promise<{ audit: AuditLog; approvals: ApprovalStore }>;

/**
 * An ApprovalStore over tables that are opened asynchronously: ApprovalWiring is built synchronously with
 * the runtime, the tables on the first approval read (a cold start that only sweeps never opens them).
 */
export function lazyApprovalStore(tables: AzureApprovalTables): ApprovalStore {
  return {
    put: async (record) => (await tables()).approvals.put(record),
    get: async (id) => (await tables()).approvals.get(id),
    compareAndSet: async (record, expected) => (await tables()).approvals.compareAndSet(record, expected),
    listByStatus: async (status) => (await tables()).approvals.listByStatus(status),
  };
}

/** The same for the audit log. */
export function lazyAuditLog(tables: AzureApprovalTables): AuditLog {
  return {
    append: async (entry) => (await tables()).audit.append(entry),
    list: async (opts) => (await tables()).audit.list(opts),
  };
}

/**
 * Approvals of the Azure deployment: the approvals table next to the audit log on the function app's
 * storage account, the Slack secrets from Key Vault read with the app's managed identity ("Key Vault Secrets
 * User" on the vault). Without a vault URL approvals still work, announced in the log (decide with the CLI).
 */
export function azureApprovalWiring(
  policy: Policy,
  env: NodeJS.ProcessEnv,
  log: RuntimeLog,
  tables: AzureApprovalTables,
  now: () => Date,
): ApprovalWiring {
  const vaultUrl = env[AZURE_KEY_VAULT_URL];
  const secrets = vaultUrl
    ? cachedSecrets(
        new KeyVaultSecretSource({ vaultUrl, credential: defaultCredential(env, policy.providers.azure?.tenantId) }),
      )
    : undefined;
  if (!vaultUrl && env[APPROVAL_ENV.slackSigningSecret])
    log.warn(`${APPROVAL_ENV.slackSigningSecret} is set but ${AZURE_KEY_VAULT_URL} is not; Slack requests are refused`);
  return new ApprovalWiring({
    policy,
    store: lazyApprovalStore(tables),
    audit: lazyAuditLog(tables),
    env,
    log,
    now,
    ...(secrets ? { secrets } : {}),
  });
}
