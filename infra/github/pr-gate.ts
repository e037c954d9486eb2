import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';
import type { Plan } from '../../shared/model';
import { countChanges, renderPlan } from '../../shared/planner';
import { gitHubComments, type PullRequestComments } from './comments';

/**
 * The pull-request gate (action.yml runs it): validate the policy, plan it against a snapshot or a live provider,
 * and post the plan as one comment on the pull request, updated in place on every push. The check fails on a
 * policy error, on an incomplete observation (a plan that could not read everything is no basis for review) and
 * on any other error; a plan with changes passes, since proposing changes is what a policy pull request is for.
 *
 * Reads: PEERKEEPER_POLICY, PEERKEEPER_ESTATE | PEERKEEPER_PROVIDER, PEERKEEPER_SCOPE, PEERKEEPER_STATE_DIR;
 * GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_EVENT_PATH (the pull request), GITHUB_SHA,
 * GITHUB_STEP_SUMMARY and GITHUB_OUTPUT (both optional).
 */
export async function runPrGate(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  comments?: PullRequestComments,
): Promise<number> {
  const policy = env.PEERKEEPER_POLICY;
  if (!policy) {
    log('peerkeeper gate: set the `policy` input (PEERKEEPER_POLICY)');
    return 1;
  }
  if (!env.PEERKEEPER_ESTATE === !env.PEERKEEPER_PROVIDER) {
    log('peerkeeper gate: set exactly one of the `estate` and `provider` inputs');
    return 1;
  }
  const outcome = await gate(policy, env);
  log(outcome.log);
  const marker = `<!-- peerkeeper-plan ${policy} -->`;
  const body = `${marker}\n${outcome.comment}\n\n<sub>peerkeeper · ${env.GITHUB_SHA ? `commit ${env.GITHUB_SHA.slice(0, 7)} · ` : ''}this comment is updated on every push</sub>\n`;
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${outcome.comment}\n`);
  if (env.GITHUB_OUTPUT)
    appendFileSync(env.GITHUB_OUTPUT, `changes=${outcome.changes}\ncomplete=${outcome.complete}\n`);
  const target = comments ?? pullRequestComments(env);
  if (target) {
    const existing = await target.find(marker);
    const written = existing ? await target.update(existing.id, body) : await target.create(body);
    log(`peerkeeper gate: ${existing ? 'updated' : 'posted'} the plan comment ${written.id}`);
  } else log('peerkeeper gate: not a pull request (or no token): the plan is in the log and the step summary only');
  return outcome.failed ? 1 : 0;
}

interface GateOutcome {
  failed: boolean;
  complete: boolean;
  changes: number;
  comment: string;
  log: string;
}

async function gate(policy: string, env: NodeJS.ProcessEnv): Promise<GateOutcome> {
  const validate = captured();
  if ((await runCli(['validate', policy], validate)) !== 0) {
    return {
      failed: true,
      complete: false,
      changes: 0,
      log: validate.stderr,
      comment: `### ❌ peerkeeper: \`${policy}\` is not a valid policy\n\n${fence(validate.stderr)}`,
    };
  }
  const source = env.PEERKEEPER_ESTATE
    ? ['--estate', env.PEERKEEPER_ESTATE]
    : ['--provider', env.PEERKEEPER_PROVIDER ?? ''];
  const stateDir = env.PEERKEEPER_STATE_DIR ?? mkdtempSync(join(tmpdir(), 'peerkeeper-gate-'));
  const run = captured();
  const code = await runCli(
    [
      'plan',
      '--policy',
      policy,
      ...source,
      '--json',
      '--state-dir',
      stateDir,
      ...(env.PEERKEEPER_SCOPE ? ['--scope', env.PEERKEEPER_SCOPE] : []),
    ],
    run,
  );
  const plan = parsePlan(run.stdout);
  const against = `\`${policy}\` against ${env.PEERKEEPER_ESTATE ? `the snapshot \`${env.PEERKEEPER_ESTATE}\`` : `the live \`${env.PEERKEEPER_PROVIDER ?? ''}\` estate`}`;
  if (!plan) {
    return {
      failed: true,
      complete: false,
      changes: 0,
      log: run.stderr,
      comment: `### ❌ peerkeeper could not plan ${against}\n\n${fence(run.stderr || `exit ${code}`)}`,
    };
  }
  const text = renderPlan(plan);
  const { changes } = countChanges(plan);
  const heading = !plan.complete
    ? `### ❌ peerkeeper: the observation was incomplete — ${against}\nSome partitions could not be read, so this plan is no basis for review. Fix the access named below and push again.`
    : changes === 0
      ? `### ✅ peerkeeper: no changes — ${against}`
      : `### 📝 peerkeeper: ${changes} change(s) — ${against}`;
  return {
    failed: !plan.complete || code === 1,
    complete: plan.complete,
    changes,
    log: text,
    comment: `${heading}\n\n${fence(text, 60_000)}`,
  };
}

function parsePlan(text: string): Plan | undefined {
  try {
    const value = JSON.parse(text) as Plan;
    return Array.isArray(value.actions) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A fenced block; GitHub refuses comments over 65,536 characters, so a huge plan is cut with a note. */
function fence(text: string, limit = 20_000): string {
  const cut =
    text.length > limit ? `${text.slice(0, limit)}\n… (${text.length - limit} more characters: see the job log)` : text;
  return `\`\`\`text\n${cut.replace(/```/g, "'''").trimEnd()}\n\`\`\``;
}

function captured(): CliOutput & { stdout: string; stderr: string } {
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

/** The pull request of the triggering event, if this run has one and a token to comment with. */
function pullRequestComments(env: NodeJS.ProcessEnv): PullRequestComments | undefined {
  if (!env.GITHUB_TOKEN || !env.GITHUB_API_URL || !env.GITHUB_REPOSITORY || !env.GITHUB_EVENT_PATH) return undefined;
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as {
    pull_request?: { number?: number };
    number?: number;
  };
  const pullRequest = event.pull_request?.number ?? event.number;
  if (typeof pullRequest !== 'number') return undefined;
  return gitHubComments({
    api: env.GITHUB_API_URL,
    repository: env.GITHUB_REPOSITORY,
    pullRequest,
    token: env.GITHUB_TOKEN,
  });
}
