import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runPrGate } from '../../../infra/github/pr-gate';
import type { Estate } from '../../../shared/model';
import { GitHubStandIn } from './github-stand-in';

const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-gate-'));
const event = join(dir, 'event.json');
writeFileSync(event, JSON.stringify({ action: 'synchronize', number: 42, pull_request: { number: 42 } }));
const github = new GitHubStandIn('acme/network', 42, 'ghs_test_token');

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PEERKEEPER_POLICY: 'examples/policy.yaml',
    PEERKEEPER_STATE_DIR: mkdtempSync(join(dir, 'state-')),
    GITHUB_TOKEN: 'ghs_test_token',
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/network',
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: '0123456789abcdef',
    GITHUB_OUTPUT: join(dir, 'output'),
    ...extra,
  };
}

async function gate(extra: Record<string, string>): Promise<{ code: number; log: string }> {
  let log = '';
  const code = await runPrGate(env(extra), (line) => {
    log += `${line}\n`;
  });
  return { code, log };
}

const ours = () => github.comments.filter((c) => c.body.includes('<!-- peerkeeper-plan examples/policy.yaml -->'));

beforeAll(async () => {
  await github.start();
  // 120 comments by people before the gate's first run: its comment is then on the second page of the list.
  for (let i = 0; i < 120; i += 1) github.seed(`looks good ${i}`);
});
afterAll(() => github.close());

describe('the pull-request gate (action.yml) against a stand-in GitHub API', () => {
  it('posts one plan comment on the first run, and passes a plan with changes', async () => {
    const { code } = await gate({ PEERKEEPER_ESTATE: 'examples/estate.json' });
    expect(code).toBe(0);
    expect(github.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toMatch(
      /peerkeeper: \d+ change\(s\) — `examples\/policy\.yaml` against the snapshot `examples\/estate\.json`/,
    );
    expect(ours()[0]!.body).toContain('+ create-peering');
    expect(ours()[0]!.body).toContain('commit 0123456');
    expect(readFileSync(join(dir, 'output'), 'utf8')).toMatch(/changes=\d+\ncomplete=true/);
  });

  it('updates that comment on the next run instead of posting a second one', async () => {
    const before = github.calls.length;
    const { code, log } = await gate({ PEERKEEPER_ESTATE: 'examples/estate.json', GITHUB_SHA: 'fedcba9876543210' });
    expect(code).toBe(0);
    const calls = github.calls.slice(before);
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'PATCH']);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toContain('commit fedcba9');
    expect(log).toMatch(/updated the plan comment \d+/);
  });

  it('fails the check on an incomplete observation, and says so in the same comment', async () => {
    const estate = JSON.parse(readFileSync('examples/estate.json', 'utf8')) as Estate;
    const file = join(dir, 'incomplete.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...estate,
        complete: false,
        gaps: ['aws:333333333333:us-east-1: AccessDenied'],
        unread: [{ cloud: 'aws', account: '333333333333', region: 'us-east-1', reason: 'AccessDenied' }],
      }),
    );
    const { code } = await gate({ PEERKEEPER_ESTATE: file });
    expect(code).toBe(1);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toContain('the observation was incomplete');
  });

  it('fails the check on a policy error, naming the file and line in the comment', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'version: 1\ngroups:\n  hub: { cloud: aws }\nconnections:\n  - { name: x, topology: mesh, members: nope }\n',
    );
    const { code } = await gate({ PEERKEEPER_POLICY: bad, PEERKEEPER_ESTATE: 'examples/estate.json' });
    expect(code).toBe(1);
    const comment = github.comments.find((c) => c.body.includes(`<!-- peerkeeper-plan ${bad} -->`));
    expect(comment?.body).toContain('is not a valid policy');
    expect(comment?.body).toMatch(/bad\.yaml:5:\d+ connections\[0\]\.members/);
  });

  it('refuses inputs that name both a snapshot and a provider, or neither, before calling GitHub', async () => {
    const cases: { reason: string; extra: Record<string, string> }[] = [
      {
        reason: 'two sources would leave it unclear what was planned',
        extra: { PEERKEEPER_ESTATE: 'examples/estate.json', PEERKEEPER_PROVIDER: 'aws' },
      },
      { reason: 'there is nothing to plan against', extra: {} },
    ];
    for (const c of cases) {
      const before = github.calls.length;
      const { code, log } = await gate(c.extra);
      expect(code).toBe(1);
      expect(log).toContain('exactly one of');
      expect(github.calls.length).toBe(before);
    }
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, { required?: boolean }>;
    runs: { using: string; steps: { run: string; env?: Record<string, string> }[] };
  };
  const gateSource = readFileSync('infra/github/pr-gate.ts', 'utf8');

  it('is a composite action whose inputs reach the script under the names it reads', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs.policy?.required).toBe(true);
    const step = action.runs.steps.find((s) => s.run.includes('pr-gate.mjs'))!;
    for (const [name, value] of Object.entries(step.env ?? {})) {
      expect(gateSource).toContain(`env.${name}`);
      expect(value).toMatch(/^\$\{\{ inputs\.[a-z-]+ \}\}$/);
    }
    expect(Object.keys(step.env ?? {})).toEqual(
      expect.arrayContaining(['PEERKEEPER_POLICY', 'PEERKEEPER_ESTATE', 'PEERKEEPER_PROVIDER', 'GITHUB_TOKEN']),
    );
  });

  it('runs the script the build produces (dist/cli/pr-gate.mjs)', () => {
    const build = readFileSync('infra/cli/build.cjs', 'utf8');
    expect(build).toMatch(/'pr-gate': join\(root, 'infra\/github\/action-entry\.ts'\)/);
  });
});
