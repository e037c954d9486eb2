import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';
import type { Plan } from '../../shared/model';
import { countChanges, describeAction } from '../../shared/planner';

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

const POLICY = 'examples/policy.yaml';
const ESTATE = 'examples/estate.json';
const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-vocabulary-'));
const state = ['--state-dir', join(dir, 'state')];
/** Splits a printed command line into arguments (the hints quote nothing). */
const argsOf = (line: string) => line.trim().split(/\s+/).slice(1);

describe('one count and one vocabulary across plan, apply and graph', () => {
  let plan: Plan;
  const applied = capture();
  const graph = capture();

  beforeAll(async () => {
    const json = capture();
    await runCli(['plan', '--policy', POLICY, '--estate', ESTATE, '--json', ...state], json);
    plan = JSON.parse(json.stdout) as Plan;
    // The graph before the apply: apply opens the partner's approval, after which a plan reports it instead of asking.
    await runCli(
      ['graph', '--policy', POLICY, '--estate', ESTATE, '--format', 'html', '--out', join(dir, 'g.html'), ...state],
      graph,
    );
    await runCli(
      ['apply', '--policy', POLICY, '--estate', ESTATE, '--out', join(dir, 'converged.json'), ...state],
      applied,
    );
  });

  it('counts the same changes in plan, apply and graph', () => {
    const { changes } = countChanges(plan);
    expect(changes).toBeGreaterThan(0);
    expect(applied.stdout).toContain(`Plan: ${changes} changes`);
    expect(applied.stdout).toContain(`Applied: ${changes} changes — `);
    expect(graph.stderr).toContain(`${changes} change(s) pending`);
  });

  it('names every change apply made, with its target and outcome', () => {
    for (const action of plan.actions.filter((a) => a.action !== 'report')) {
      expect(applied.stdout).toMatch(
        new RegExp(
          `^  (done|already|skipped|failed|deferred|approval) +${describeAction(action).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
          'm',
        ),
      );
    }
  });

  it('prints no Slack markup in the terminal, and its hints are complete commands that run', async () => {
    // The request-approval above printed how to decide it; that command, with an approver, decides it.
    const asked = /to decide: (peerkeeper approve \S+ .*)\)$/m.exec(applied.stderr);
    expect(asked).not.toBeNull();
    const approve = capture();
    expect(await runCli(argsOf(asked![1]!.replace('<approver id>', 'U012AB3CD')), approve)).toBe(0);
    for (const text of [approve.stdout, approve.stderr, applied.stdout, applied.stderr])
      expect(text).not.toMatch(/<@|<!date|`/);
    // …and the apply it suggests acts on the decision.
    const next = /^ +(peerkeeper apply .*)$/m.exec(approve.stdout);
    expect(next).not.toBeNull();
    const after = capture();
    const args = argsOf(next![1]!);
    expect(args).toContain('--out');
    args[args.indexOf('--out') + 1] = join(dir, 'decided.json'); // not beside the example, in the repository
    expect(await runCli(args, after)).toBe(0);
    expect(after.stdout).toMatch(/^ +done +✓ accept-peering +aws +pcx-0bbbb0000partner/m);
  });
});
