import { isMutating } from '../model';
import { describeAction } from '../planner';
import type { ActionResult } from '../reconcile';

/** What each outcome means, in the words the summary uses. */
const OUTCOME: Readonly<Record<ActionResult['status'], string>> = {
  done: 'done',
  converged: 'already so',
  skipped: 'skipped (no longer applies)',
  failed: 'failed',
  deferred: 'deferred to the next run',
  observed: 'not made (dry run)',
  reported: 'reported',
};

/** A request-approval that was `done` asked the approvers; it changed nothing in a cloud. */
const outcomeOf = (r: ActionResult): string =>
  r.action.action === 'request-approval' && r.status === 'done' ? 'approval requested' : OUTCOME[r.status];

/**
 * Apply's report: one line per change naming its target and outcome (`done       ✗ reject-peering   aws   pcx-… ⇄ …`),
 * then a summary that counts the changes exactly as `plan` and `graph` count them (every mutating action and every
 * approval request; findings are not changes), broken down by outcome.
 */
export function renderApplyResults(results: readonly ActionResult[], opts: { out?: string } = {}): string {
  const changes = results.filter((r) => isMutating(r.action) || r.action.action === 'request-approval');
  const lines = changes.map((r) => {
    const why = r.error?.message ?? r.detail;
    return `  ${outcomeOf(r).split(' ')[0]!.padEnd(9)} ${describeAction(r.action)}${why ? `\n      ${why}` : ''}`;
  });
  const tally = new Map<string, number>();
  for (const r of changes) tally.set(outcomeOf(r), (tally.get(outcomeOf(r)) ?? 0) + 1);
  const breakdown = [...tally].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  const summary = `Applied: ${changes.length} change${changes.length === 1 ? '' : 's'} — ${changes.length === 0 ? 'nothing to do' : breakdown}.`;
  return `${lines.join('\n')}${lines.length ? '\n\n' : ''}${summary}${opts.out ? ` Converged estate written to ${opts.out}.` : ''}\n`;
}
