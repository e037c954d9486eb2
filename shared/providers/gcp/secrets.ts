import { RetryableError, TerminalError } from '../../errors';
import type { SecretSource } from '../secrets';
import type { TokenSource } from './client';

/** The permission the functions' service account needs on the two secrets (roles/secretmanager.secretAccessor). */
export const SECRET_MANAGER_PERMISSIONS = ['secretmanager.versions.access'] as const;
export const DEFAULT_SECRET_MANAGER_ENDPOINT = 'https://secretmanager.googleapis.com/v1';

/**
 * Secrets from Google Secret Manager over REST (`…/versions/latest:access`), with the runtime's ADC token.
 * `name` is `projects/<p>/secrets/<s>` (a bare secret id is read in `project`).
 */
export class SecretManagerSource implements SecretSource {
  private readonly fetch: typeof fetch;
  private readonly endpoint: string;

  constructor(
    private readonly options: { tokens: TokenSource; project?: string; endpoint?: string; fetch?: typeof fetch },
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.endpoint = (options.endpoint ?? DEFAULT_SECRET_MANAGER_ENDPOINT).replace(/\/$/, '');
  }

  async get(name: string): Promise<string | undefined> {
    const path = name.startsWith('projects/') ? name : `projects/${this.options.project ?? ''}/secrets/${name}`;
    const url = `${this.endpoint}/${path}/versions/latest:access`;
    let res: Response;
    try {
      res = await this.fetch(url, { headers: await this.options.tokens.headers(url) });
    } catch (error) {
      if (error instanceof TerminalError) throw error;
      throw new RetryableError(`reading secret ${path}: ${error instanceof Error ? error.message : 'request failed'}`);
    }
    if (res.status === 404) return undefined;
    if (res.status === 429 || res.status >= 500) throw new RetryableError(`reading secret ${path}: HTTP ${res.status}`);
    if (!res.ok) throw new TerminalError(`reading secret ${path}: HTTP ${res.status}`, { code: String(res.status) });
    const body = (await res.json()) as { payload?: { data?: unknown } };
    return typeof body.payload?.data === 'string'
      ? Buffer.from(body.payload.data, 'base64').toString('utf8')
      : undefined;
  }
}
