import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call as it crossed the wire: what the adapter sent and what the emulator answered. */
export interface Exchange {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

const parse = (text: string): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * A recording proxy in front of an emulator: the adapter talks to it as to the cloud, every exchange is kept
 * for the vendor-model checks. Links the emulator writes (nextLink, operation URLs) are rewritten to the proxy.
 */
export async function startRecorder(
  target: string,
): Promise<{ url: string; exchanges: Exchange[]; close(): Promise<void> }> {
  const exchanges: Exchange[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on(
      'end',
      () =>
        void (async () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const headers = Object.fromEntries(
            Object.entries(req.headers).filter(
              (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host',
            ),
          );
          const upstream = await fetch(`${target}${req.url ?? '/'}`, {
            method: req.method ?? 'GET',
            headers,
            ...(body ? { body } : {}),
          });
          const text = (await upstream.text()).split(target).join(origin);
          const url = new URL(req.url ?? '/', origin);
          exchanges.push({
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.searchParams,
            requestBody: parse(body),
            status: upstream.status,
            responseBody: parse(text),
          });
          const out: Record<string, string> = {};
          upstream.headers.forEach((value, key) => {
            if (key !== 'content-length' && key !== 'transfer-encoding') out[key] = value.split(target).join(origin);
          });
          res.writeHead(upstream.status, out);
          res.end(text);
        })(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
