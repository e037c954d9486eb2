import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blocksToHtml, mrkdwnToHtml } from './mrkdwn';
import { chatPage } from './page';
import { interactionBody, signSlackRequest, type ChatWorkspace } from './workspace';
import { readBody } from '../request-body';

/** What the chat stand-in needs from the rest of the local cloud. */
export interface ChatServerOptions {
  workspace: ChatWorkspace;
  signingSecret: string;
  /** The real approval endpoint (handleSlackRequest over HTTP) that clicks are posted to. */
  approvalUrl: () => string;
  /** The topology picture, as an <svg> element, drawn from the clouds' current state. */
  topology: () => Promise<string>;
  /** Who clicks when the page does not say (an approver of the local policy). */
  defaultUser: { id: string; name: string };
  now?: () => Date;
}

/** A running chat stand-in. */
export interface ChatServer {
  /** `http://127.0.0.1:<port>`: the page is at `/`, the Slack Web API at `/api`. */
  url: string;
  /** Clicks a button as `user`, through the same signed-payload path as the page; returns the endpoint's status. */
  click(ts: string, actionId: string, user?: { id: string; name: string }): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}

/**
 * The local Slack: a Web API stand-in the real SlackClient talks to (baseUrl `<url>/api`), and a page that
 * lists approval messages with their buttons and the live topology picture. A click is turned into the
 * block_actions payload Slack would post, signed with the local signing secret (HMAC-SHA256 over
 * `v0:ts:body`), and posted to the real approval endpoint — the page never sees the secret.
 */
export async function startChatServer(opts: ChatServerOptions): Promise<ChatServer> {
  const now = opts.now ?? (() => new Date());
  let url = '';

  async function click(
    ts: string,
    actionId: string,
    user = opts.defaultUser,
  ): Promise<{ status: number; body: string }> {
    const message = opts.workspace.messages.find((m) => m.ts === ts);
    const button = message && opts.workspace.buttonsOf(message).find((b) => b.actionId === actionId);
    if (!message || !button) return { status: 404, body: 'no such button (already decided?)' };
    const raw = interactionBody(message, button, user, `${url}/response/${encodeURIComponent(user.id)}`);
    const res = await fetch(opts.approvalUrl(), {
      method: 'POST',
      headers: signSlackRequest(raw, opts.signingSecret, now()),
      body: raw,
    });
    return { status: res.status, body: await res.text() };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const raw = req.method === 'POST' ? await readBody(req) : '';
    if (req.method === 'POST' && path.startsWith('/api/')) {
      const args = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      return send(
        res,
        200,
        'application/json',
        JSON.stringify(opts.workspace.call(path.slice(5), req.headers.authorization, args)),
      );
    }
    if (req.method === 'POST' && path.startsWith('/response/')) {
      const body = JSON.parse(raw || '{}') as { text?: string };
      opts.workspace.ephemerals.push({
        user: decodeURIComponent(path.slice('/response/'.length)),
        text: body.text ?? '',
      });
      return send(res, 200, 'text/plain', 'ok');
    }
    if (req.method === 'POST' && path === '/click') {
      const { ts, actionId, user } = JSON.parse(raw || '{}') as { ts?: string; actionId?: string; user?: string };
      const who = user ? { id: user, name: user } : opts.defaultUser;
      return send(res, 200, 'application/json', JSON.stringify(await click(ts ?? '', actionId ?? '', who)));
    }
    if (req.method === 'GET' && path === '/messages.json') {
      // `html` is the message as Slack would draw it (mrkdwn rendered); `text` stays the plain reading for scripts.
      const messages = opts.workspace.messages.map((m) => ({
        ts: m.ts,
        channel: m.channel,
        text: opts.workspace.displayText(m),
        html: m.blocks.length > 0 ? blocksToHtml(m.blocks) : mrkdwnToHtml(m.text),
        updates: m.updates,
        buttons: opts.workspace.buttonsOf(m),
      }));
      const ephemerals = opts.workspace.ephemerals.map((e) => ({ ...e, html: mrkdwnToHtml(e.text) }));
      return send(res, 200, 'application/json', JSON.stringify({ messages, ephemerals }));
    }
    if (req.method === 'GET' && path === '/topology.svg') return send(res, 200, 'image/svg+xml', await opts.topology());
    if (req.method === 'GET' && path === '/')
      return send(res, 200, 'text/html; charset=utf-8', chatPage(opts.defaultUser.id));
    send(res, 404, 'text/plain', 'not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, 500, 'text/plain', error instanceof Error ? error.message : String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    click,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
