/**
 * Where the chat secrets (Slack bot token, signing secret) come from: SSM Parameter Store, Key Vault or
 * Secret Manager, one implementation per cloud in shared/providers/<cloud>/secrets.ts. Values are never
 * logged and never put into error messages; only the secret's name is.
 */
export interface SecretSource {
  /** The secret's current value, or undefined when it does not exist. */
  get(name: string): Promise<string | undefined>;
}

/**
 * Caches each secret for the life of the instance (one read per cold start: SSM allows 40 GetParameter/s per
 * account by default, and Slack's 3 s budget has no room for a read per click). A failed read is not cached.
 */
export function cachedSecrets(source: SecretSource): SecretSource {
  const cache = new Map<string, Promise<string | undefined>>();
  return {
    get(name) {
      let value = cache.get(name);
      if (value === undefined) {
        value = source.get(name).catch((error: unknown) => {
          cache.delete(name);
          throw error;
        });
        cache.set(name, value);
      }
      return value;
    },
  };
}

/** Fixed secrets, for tests and the local cloud. */
export function staticSecrets(values: Readonly<Record<string, string>>): SecretSource {
  return { get: async (name) => values[name] };
}
