import type { TokenCredential } from '@azure/identity';
import { RetryableError, TerminalError } from '../../errors';
import type { SecretSource } from '../secrets';

/** Key Vault data-plane API version (GA since 2023). */
export const KEY_VAULT_API_VERSION = '7.4';
/** The role the function app's identity needs on the vault: Key Vault Secrets User (secrets/getSecret/action). */
export const KEY_VAULT_SECRET_ROLE = 'Key Vault Secrets User';

/**
 * Secrets from Azure Key Vault over its REST API (GET /secrets/{name}), with the same credential the ARM
 * adapter uses (managed identity in the function app). `vaultUrl` is https://<vault>.vault.azure.net.
 */
export class KeyVaultSecretSource implements SecretSource {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: { vaultUrl: string; credential: TokenCredential; fetch?: typeof fetch }) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async get(name: string): Promise<string | undefined> {
    const token = await this.options.credential.getToken('https://vault.azure.net/.default');
    if (!token) throw new TerminalError(`no token for Key Vault reading secret ${name}`);
    const url = `${this.options.vaultUrl.replace(/\/$/, '')}/secrets/${encodeURIComponent(name)}?api-version=${KEY_VAULT_API_VERSION}`;
    let res: Response;
    try {
      res = await this.fetch(url, { headers: { authorization: `Bearer ${token.token}` } });
    } catch (error) {
      throw new RetryableError(
        `reading Key Vault secret ${name}: ${error instanceof Error ? error.message : 'request failed'}`,
      );
    }
    if (res.status === 404) return undefined;
    if (res.status === 429 || res.status >= 500)
      throw new RetryableError(`reading Key Vault secret ${name}: HTTP ${res.status}`);
    if (!res.ok)
      throw new TerminalError(`reading Key Vault secret ${name}: HTTP ${res.status}`, { code: String(res.status) });
    const body = (await res.json()) as { value?: unknown };
    return typeof body.value === 'string' ? body.value : undefined;
  }
}
