import { RetryableError, TerminalError } from '../errors';

/** Options shared by the GCS stores. */
export interface GcsOptions {
  bucket: string;
  /** https://storage.googleapis.com unless pointed at the local emulator (infra/local/gcs). */
  baseUrl?: string;
  /** Returns an OAuth access token (e.g. from google-auth-library); absent for the emulator. Never logged. */
  getAccessToken?: () => Promise<string | undefined>;
  fetch?: typeof fetch;
}

/** An object's bytes and the generation they belong to. */
export interface GcsRead {
  text: string;
  generation: string;
}

/**
 * A thin client for the Cloud Storage JSON API calls the stores need. Preconditions carry the
 * concurrency: `ifGenerationMatch=0` creates only if absent; `ifGenerationMatch=<g>` replaces only
 * generation g. A failed precondition is 412, reported as false.
 */
export class GcsObjects {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: GcsOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://storage.googleapis.com').replace(/\/$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Writes `name` iff its live generation is `ifGenerationMatch` (0 = absent). */
  async write(name: string, text: string, ifGenerationMatch: string): Promise<boolean> {
    const q = new URLSearchParams({ uploadType: 'media', name, ifGenerationMatch });
    const res = await this.request('POST', `/upload/storage/v1/b/${enc(this.options.bucket)}/o?${q}`, text);
    if (res.status === 412) return false;
    await this.check(res, name);
    return true;
  }

  /** Reads the current generation of `name`: metadata first, then exactly that generation's bytes. */
  async read(name: string): Promise<GcsRead | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const meta = await this.request('GET', this.objectPath(name));
      if (meta.status === 404) return undefined;
      await this.check(meta, name);
      const { generation } = (await meta.json()) as { generation: string };
      const media = await this.request('GET', `${this.objectPath(name)}?alt=media&generation=${enc(generation)}`);
      if (media.status === 404) continue; // replaced between the two reads: read again
      await this.check(media, name);
      return { text: await media.text(), generation };
    }
    throw new RetryableError(`GCS: ${name} kept changing while being read`);
  }

  /** Names under `prefix`, in name order, following nextPageToken. */
  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const q = new URLSearchParams({
        prefix,
        fields: 'items(name),nextPageToken',
        ...(pageToken ? { pageToken } : {}),
      });
      const res = await this.request('GET', `/storage/v1/b/${enc(this.options.bucket)}/o?${q}`);
      await this.check(res, prefix);
      const page = (await res.json()) as { items?: { name: string }[]; nextPageToken?: string };
      names.push(...(page.items ?? []).map((item) => item.name));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return names;
  }

  private objectPath(name: string): string {
    return `/storage/v1/b/${enc(this.options.bucket)}/o/${enc(name)}`;
  }

  private async request(method: string, path: string, body?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = await this.options.getAccessToken?.();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetch(`${this.baseUrl}${path}`, { method, headers, body });
    } catch (error) {
      throw new RetryableError(
        `GCS: ${method} ${path.split('?')[0]} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  /** 408, 429 and 5xx are retryable (GCS asks for exponential backoff on them); other failures are terminal. */
  private async check(res: Response, what: string): Promise<void> {
    if (res.ok) return;
    const detail = await res.text().catch(() => '');
    const reason = /"reason"\s*:\s*"([^"]+)"/.exec(detail)?.[1];
    const message = `GCS: ${res.status} on ${what}${reason ? ` (${reason})` : ''}`;
    if (res.status === 408 || res.status === 429 || res.status >= 500)
      throw new RetryableError(message, { code: reason });
    throw new TerminalError(message, { code: reason });
  }
}

function enc(part: string): string {
  return encodeURIComponent(part);
}
