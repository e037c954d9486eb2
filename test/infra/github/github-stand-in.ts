import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../../infra/local/request-body';

/** One call the stand-in answered. */
export interface ApiCall {
  method: string;
  path: string;
  status: number;
}

/**
 * A local stand-in for the slice of the GitHub REST API the pull-request gate uses: a pull request's issue
 * comments (list with per_page/page, create) and comment updates. It checks the bearer token, as GitHub does
 * (401 otherwise), and keeps comments in memory.
 */
export class GitHubStandIn {
  readonly comments: { id: number; body: string; user: string }[] = [];
  readonly calls: ApiCall[] = [];
  private nextId = 1000;
  private server: Server | undefined;
  url = '';

  constructor(
    private readonly repository: string,
    private readonly pullRequest: number,
    private readonly token: string,
  ) {}

  /** Adds a comment someone else wrote, as if posted before the gate ran. */
  seed(body: string): void {
    this.comments.push({ id: this.nextId++, body, user: 'octocat' });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.answer(req.method ?? 'GET', req.url ?? '/', req.headers.authorization, readBody(req)).then(
        ({ status, body }) => {
          this.calls.push({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, status });
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        },
      );
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((done) => this.server?.close(() => done()));
  }

  private async answer(
    method: string,
    url: string,
    auth: string | undefined,
    body: Promise<string>,
  ): Promise<{ status: number; body: unknown }> {
    const text = await body;
    if (auth !== `Bearer ${this.token}`) return { status: 401, body: { message: 'Bad credentials' } };
    const { pathname, searchParams } = new URL(url, 'http://stand-in');
    const issue = `/repos/${this.repository}/issues/${this.pullRequest}/comments`;
    if (method === 'GET' && pathname === issue) {
      const perPage = Math.min(Number(searchParams.get('per_page') ?? 30), 100);
      const page = Number(searchParams.get('page') ?? 1);
      return { status: 200, body: this.comments.slice((page - 1) * perPage, page * perPage) };
    }
    if (method === 'POST' && pathname === issue) {
      const comment = {
        id: this.nextId++,
        body: (JSON.parse(text) as { body: string }).body,
        user: 'github-actions[bot]',
      };
      this.comments.push(comment);
      return { status: 201, body: comment };
    }
    const update = new RegExp(`^/repos/${this.repository}/issues/comments/(\\d+)$`).exec(pathname);
    if (method === 'PATCH' && update) {
      const comment = this.comments.find((c) => c.id === Number(update[1]));
      if (!comment) return { status: 404, body: { message: 'Not Found' } };
      comment.body = (JSON.parse(text) as { body: string }).body;
      return { status: 200, body: comment };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }
}
