import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBodyBytes } from '../request-body';

/** One stored object: only the current generation is kept (like a bucket without versioning). */
interface StoredObject {
  data: Buffer;
  generation: number;
  contentType: string;
  updated: string;
}

/** A running emulator; `baseUrl` replaces https://storage.googleapis.com. */
export interface GcsEmulator {
  baseUrl: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * A local stand-in for the subset of the Cloud Storage JSON API peerkeeper uses: bucket insert,
 * objects insert (uploadType=media), get (metadata and alt=media), list by prefix with paging, and delete,
 * with `ifGenerationMatch` preconditions (0 = must not exist) answered 412 conditionNotMet as GCS does.
 * Binds 127.0.0.1; Node's single thread makes each check-and-write atomic.
 */
export async function startGcsEmulator(
  options: { port?: number; buckets?: readonly string[] } = {},
): Promise<GcsEmulator> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  for (const name of options.buckets ?? []) buckets.set(name, new Map());
  // GCS generations are microsecond timestamps; any increasing number behaves the same for clients.
  let nextGeneration = 1_700_000_000_000_000;

  const server = createServer((req, res) => {
    readBodyBytes(req)
      .then((body) => route(req, res, body))
      .catch((error: unknown) =>
        sendError(res, 500, 'backendError', error instanceof Error ? error.message : String(error)),
      );
  });

  function route(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = url.searchParams;
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const one = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);

    if (req.method === 'POST' && url.pathname === '/storage/v1/b') {
      const name = (JSON.parse(body.toString() || '{}') as { name?: string }).name;
      if (!name) return sendError(res, 400, 'required', 'Required');
      if (buckets.has(name))
        return sendError(
          res,
          409,
          'conflict',
          'Your previous request to create the named bucket succeeded and you already own it.',
        );
      buckets.set(name, new Map());
      return sendJson(res, 200, { kind: 'storage#bucket', id: name, name });
    }
    const bucketName = decodeURIComponent((upload ?? list ?? one)?.[1] ?? '');
    const bucket = buckets.get(bucketName);
    if (!upload && !list && !one) return sendError(res, 404, 'notFound', 'Not Found');
    if (bucket === undefined) return sendError(res, 404, 'notFound', 'The specified bucket does not exist.');

    if (upload && req.method === 'POST') {
      if (q.get('uploadType') !== 'media') return sendError(res, 400, 'invalid', 'Only uploadType=media is emulated.');
      const name = q.get('name');
      if (!name) return sendError(res, 400, 'required', 'Required');
      if (!preconditionHolds(bucket.get(name), q)) return conditionNotMet(res);
      const stored = {
        data: body,
        generation: nextGeneration++,
        contentType: req.headers['content-type'] ?? 'application/octet-stream',
        updated: new Date().toISOString(),
      };
      bucket.set(name, stored);
      return sendJson(res, 200, resource(bucketName, name, stored));
    }
    if (list && req.method === 'GET') {
      const prefix = q.get('prefix') ?? '';
      const max = Math.min(Number(q.get('maxResults') ?? 1000) || 1000, 1000);
      const names = [...bucket.keys()].filter((n) => n.startsWith(prefix)).sort();
      const start = q.get('pageToken')
        ? names.findIndex((n) => n > Buffer.from(q.get('pageToken')!, 'base64url').toString())
        : 0;
      const page = start < 0 ? [] : names.slice(start, start + max);
      const more = start >= 0 && start + max < names.length;
      return sendJson(res, 200, {
        kind: 'storage#objects',
        ...(page.length > 0 ? { items: page.map((n) => resource(bucketName, n, bucket.get(n)!)) } : {}),
        ...(more ? { nextPageToken: Buffer.from(page[page.length - 1]!).toString('base64url') } : {}),
      });
    }
    if (one) {
      const name = decodeURIComponent(one[2]!);
      const stored = bucket.get(name);
      if (req.method === 'GET' || req.method === 'DELETE') {
        if (stored === undefined || (q.has('generation') && Number(q.get('generation')) !== stored.generation)) {
          return sendError(res, 404, 'notFound', `No such object: ${bucketName}/${name}`);
        }
        if (!preconditionHolds(stored, q)) return conditionNotMet(res);
        if (req.method === 'DELETE') {
          bucket.delete(name);
          res.writeHead(204).end();
          return;
        }
        if (q.get('alt') === 'media') {
          res.writeHead(200, {
            'content-type': stored.contentType,
            'x-goog-generation': String(stored.generation),
            'x-goog-metageneration': '1',
          });
          res.end(stored.data);
          return;
        }
        return sendJson(res, 200, resource(bucketName, name, stored));
      }
    }
    return sendError(res, 405, 'methodNotAllowed', `${req.method} is not emulated here`);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** `ifGenerationMatch=0` means "only if absent"; any other value must equal the live generation. */
function preconditionHolds(stored: StoredObject | undefined, q: URLSearchParams): boolean {
  const want = q.get('ifGenerationMatch');
  if (want === null) return true;
  return Number(want) === (stored?.generation ?? 0);
}

function resource(bucket: string, name: string, o: StoredObject): Record<string, string> {
  const md5Hash = createHash('md5').update(o.data).digest('base64');
  return {
    kind: 'storage#object',
    id: `${bucket}/${name}/${o.generation}`,
    name,
    bucket,
    generation: String(o.generation),
    metageneration: '1',
    contentType: o.contentType,
    size: String(o.data.length),
    md5Hash,
    etag: md5Hash,
    storageClass: 'STANDARD',
    timeCreated: o.updated,
    updated: o.updated,
  };
}

function conditionNotMet(res: ServerResponse): void {
  sendError(res, 412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');
}

function sendError(res: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(res, code, { error: { code, message, errors: [{ message, domain: 'global', reason }] } });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}
