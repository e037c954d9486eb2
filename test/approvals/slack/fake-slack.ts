import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake Slack received. */
export interface SlackCall {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** A canned answer for the next call to a path. */
interface Canned {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A loopback stand-in for the Slack Web API and response_url: records every call and answers like
 * Slack (`{ ok: true, … }`), or with a canned failure queued by `failNext`.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly groups = new Map<string, string[]>();
  private server: Server | undefined;
  private readonly canned = new Map<string, Canned[]>();
  private nextTs = 1000;
  baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => {
        raw += chunk.toString();
      });
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0]!;
        const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        this.calls.push({ path, authorization: req.headers.authorization, body });
        const answer = this.canned.get(path)?.shift() ?? this.answer(path, body);
        res
          .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
          .end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Queues a failure for the next call to `path` (e.g. `/api/chat.postMessage`). */
  failNext(path: string, status: number, body: unknown, headers?: Record<string, string>): void {
    this.canned.set(path, [...(this.canned.get(path) ?? []), { status, body, ...(headers ? { headers } : {}) }]);
  }

  callsTo(path: string): SlackCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  private answer(path: string, body: Record<string, unknown>): Canned {
    switch (path) {
      case '/api/chat.postMessage':
        return { status: 200, body: { ok: true, channel: body.channel, ts: `${this.nextTs++}.000100` } };
      case '/api/usergroups.users.list':
        return { status: 200, body: { ok: true, users: this.groups.get(String(body.usergroup)) ?? [] } };
      case '/api/chat.update':
      case '/api/chat.postEphemeral':
        return { status: 200, body: { ok: true } };
      default:
        return path.startsWith('/respond/')
          ? { status: 200, body: 'ok' }
          : { status: 404, body: { ok: false, error: 'unknown_method' } };
    }
  }
}
