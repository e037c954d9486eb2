import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_POLICY_FILE, startLocalCloud, type LocalCloud } from '../../infra/local/cloud';
import { LOCAL_SECRET_NAMES, localDeploymentFacts } from '../../infra/local/deployment';
import { CAST, runScenario } from '../../infra/local/scenario';
import { TRANSIT_CAST } from '../../infra/local/transit-estate';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';
import type { CheckResult } from '../../shared/doctor/checks';
import type { LocalDeploymentFacts } from '../../shared/doctor/local';
import { runningClock } from '../support/clock';

/**
 * `peerkeeper doctor --provider local` against the local cloud after the `npm start` scenario: every check ok.
 * Then one deliberately broken setup at a time — a missing member role, a missing secret, a different policy —
 * each gives exactly one problem, which names what is wrong and how to fix it, and exit code 1.
 */
function capture(): CliOutput & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    color: false,
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}

let cloud: LocalCloud;
let facts: LocalDeploymentFacts;
const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-doctor-'));

/** What `npm start -- --interactive` writes for the CLI. */
function writeLocalFile(deployment: LocalDeploymentFacts): void {
  writeFileSync(join(dir, 'local.json'), JSON.stringify({ ...cloud.endpoints, deployment }, null, 2));
}

async function doctor(policy = LOCAL_POLICY_FILE): Promise<{ code: number; results: CheckResult[]; text: string }> {
  const io = capture();
  const code = await runCli(['doctor', '--provider', 'local', '--policy', policy, '--state-dir', dir, '--json'], io);
  const text = capture();
  await runCli(['doctor', '--provider', 'local', '--policy', policy, '--state-dir', dir], text);
  return { code, results: (JSON.parse(io.stdout) as { results: CheckResult[] }).results, text: text.stdout };
}

beforeAll(async () => {
  cloud = await startLocalCloud({ now: runningClock().now });
  await runScenario(cloud);
  facts = localDeploymentFacts(cloud);
}, 90_000);

afterAll(async () => {
  await cloud?.close();
});

describe('peerkeeper doctor against the local cloud', () => {
  beforeEach(() => writeLocalFile(facts));

  it('finds every check ok on the scenario estate, and events delivered in each cloud', async () => {
    const { code, results, text } = await doctor();
    expect(results.filter((r) => r.status === 'problem')).toEqual([]);
    expect(code).toBe(0);
    // The governed accounts, each read on its own: AWS hub and spoke (a partner's account is not ours to read), 4
    // subscriptions (data, the Virtual WAN hub's and the transit spoke's), 3 projects (with the transit spoke's).
    const T = TRANSIT_CAST;
    expect(
      results
        .filter((r) => / account /.test(r.check) && r.status === 'ok')
        .map((r) => r.check.split(' ')[2])
        .sort(),
    ).toEqual(
      [
        CAST.aws.hub,
        CAST.aws.spoke,
        CAST.azure.dataA,
        CAST.azure.dataB,
        T.azure.hubSubscription,
        T.azure.spoke,
        CAST.gcp.spoke,
        CAST.gcp.hub,
        T.gcp.spoke,
      ].sort(),
    );
    for (const c of ['aws', 'azure', 'gcp'])
      expect(results.find((r) => r.check.startsWith(`${c} event route`))?.detail).toMatch(
        /[1-9]\d* event\(s\) delivered/,
      );
    expect(text).toMatch(/0 problem\(s\)/);
  }, 60_000);

  const broken: {
    reason: string;
    breakIt: () => string | undefined;
    restore: () => void;
    check: RegExp;
    detail: RegExp;
    fix: RegExp;
  }[] = [
    {
      reason: 'a spoke account without the member role',
      breakIt: () => {
        cloud.aws.state.setRole(CAST.aws.spoke, { roleName: 'someone-elses-role' });
        return undefined;
      },
      restore: () => {
        cloud.aws.state.roles.delete(CAST.aws.spoke);
      },
      check: new RegExp(`^aws account ${CAST.aws.spoke}$`),
      detail: /AccessDenied|not authorized/,
      fix: /member-account\.yaml in account 222222222222/,
    },
    {
      reason: 'the Slack signing secret missing from the secret store',
      breakIt: () => {
        const secrets = { ...facts.secrets };
        delete secrets[LOCAL_SECRET_NAMES[1]];
        writeLocalFile({ ...facts, secrets });
        return undefined;
      },
      restore: () => writeLocalFile(facts),
      check: /^aws secret \/peerkeeper\/slack\/signing-secret$/,
      detail: /does not exist/,
      fix: /secret store/,
    },
    {
      reason: 'a policy that is not the deployed one',
      breakIt: () => {
        const changed = join(dir, 'changed-policy.yaml');
        writeFileSync(
          changed,
          readFileSync(LOCAL_POLICY_FILE, 'utf8').replace('maxChangesPerRun: 50', 'maxChangesPerRun: 40'),
        );
        return changed;
      },
      restore: () => undefined,
      check: /deployed policy$/,
      detail: /deployed policy differs/,
      fix: /deploy this policy/,
    },
  ];

  it.each(broken)(
    'reports exactly one problem for $reason, with how to fix it, and exits 1',
    async ({ breakIt, restore, check, detail, fix }) => {
      const policy = breakIt();
      try {
        const { code, results, text } = await doctor(policy);
        const problems = results.filter((r) => r.status === 'problem');
        expect(problems).toHaveLength(1);
        expect(problems[0]!.check).toMatch(check);
        expect(problems[0]!.detail).toMatch(detail);
        expect(problems[0]!.fix).toMatch(fix);
        expect(code).toBe(1);
        expect(text).toMatch(/✗ .*\n {4}fix: /);
      } finally {
        restore();
      }
    },
    60_000,
  );
});
