/**
 * The GitHub REST calls the pull-request gate makes: list a pull request's comments, create one, update one.
 * Pull-request conversation comments are issue comments (`/repos/{owner}/{repo}/issues/{number}/comments`).
 * The workflow token needs `pull-requests: write` (or `issues: write`).
 */
export interface PullRequestComments {
  /** The first comment on the pull request whose body contains `marker`, if any. */
  find(marker: string): Promise<{ id: number } | undefined>;
  create(body: string): Promise<{ id: number }>;
  update(id: number, body: string): Promise<{ id: number }>;
}

/** A failed GitHub API call (the gate prints it and fails the check). */
export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GitHub lists at most 100 comments a page; a pull request rarely has more than a few pages. */
const PAGE = 100;
const MAX_PAGES = 50;

/** Issue comments of one pull request, over the REST API at `api` (GITHUB_API_URL) with the workflow token. */
export function gitHubComments(opts: {
  api: string;
  repository: string;
  pullRequest: number;
  token: string;
  fetch?: typeof fetch;
}): PullRequestComments {
  const call = opts.fetch ?? fetch;
  const base = opts.api.replace(/\/$/, '');
  const headers = {
    authorization: `Bearer ${opts.token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'content-type': 'application/json',
  };
  const send = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await call(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok)
      throw new GitHubApiError(res.status, `${method} ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  };
  const issue = `/repos/${opts.repository}/issues`;
  return {
    async find(marker) {
      for (let page = 1; page <= MAX_PAGES; page += 1) {
        const comments = await send<{ id: number; body?: string }[]>(
          'GET',
          `${issue}/${opts.pullRequest}/comments?per_page=${PAGE}&page=${page}`,
        );
        const found = comments.find((c) => c.body?.includes(marker));
        if (found) return { id: found.id };
        if (comments.length < PAGE) return undefined;
      }
      return undefined;
    },
    create: (body) => send('POST', `${issue}/${opts.pullRequest}/comments`, { body }),
    update: (id, body) => send('PATCH', `${issue}/comments/${id}`, { body }),
  };
}
