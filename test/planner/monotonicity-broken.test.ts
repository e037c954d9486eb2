import type { Action, Plan } from '../../shared/model';
import type { PlanInput } from '../../shared/planner';
import { planScope } from '../../shared/planner';
import { judgeSeed, type Finding, type Planner } from '../support/monotonicity';
import { actionKey } from '../support/plan-safety';

/** Accepts and creates as if every read had succeeded: the gaps and `unread` entries are dropped before planning. */
const ignoresUnread: Planner = (input) =>
  planScope({ ...input, observation: { ...input.observation, complete: true, gaps: [], unread: [] } });

/**
 * Judges each pending request alone, as if the others did not exist, and concatenates the plans: no in-plan
 * conflict check, so two requests for one range are both accepted (issue 12, problem 4).
 */
const oneRequestAtATime: Planner = (input: PlanInput): Plan => {
  const requests = input.observation.peerings.filter((p) => p.state === 'requested');
  const settled = input.observation.peerings.filter((p) => p.state !== 'requested');
  const base = planScope({ ...input, observation: { ...input.observation, peerings: settled } });
  const actions: Action[] = [...base.actions];
  const seen = new Set(actions.map(actionKey));
  for (const request of requests) {
    for (const a of planScope({ ...input, observation: { ...input.observation, peerings: [...settled, request] } })
      .actions) {
      if (!seen.has(actionKey(a))) {
        seen.add(actionKey(a));
        actions.push(a);
      }
    }
  }
  return { ...base, actions };
};

/** Seeds searched per broken planner; each is caught within the first few dozen, the search stops at the first. */
const SEARCH = Number(process.env.BROKEN_SEARCH ?? 300);

const keyOf = (f: Finding) => `${f.kind}|${f.view}|${f.detail}`;

/** The first seed on which the broken planner has a finding of `kind` that the real planner does not have. */
function firstCaught(
  broken: Planner,
  kinds: readonly Finding['kind'][],
): { seed: number; finding: Finding } | undefined {
  for (let seed = 1; seed <= SEARCH; seed++) {
    const real = new Set(judgeSeed(seed, planScope).findings.map(keyOf));
    const finding = judgeSeed(seed, broken).findings.find((f) => kinds.includes(f.kind) && !real.has(keyOf(f)));
    if (finding) return { seed, finding };
  }
  return undefined;
}

describe('the monotonicity oracle catches a deliberately broken planner', () => {
  const cases: Record<string, { reason: string; planner: Planner; kinds: Finding['kind'][] }> = {
    'accepting and creating on a partial observation': {
      reason: 'DESIGN §11: an accept, create or delete whose dependencies were not all read is held, never planned',
      planner: ignoresUnread,
      kinds: ['not-monotone', 'acted-blind', 'unsafe'],
    },
    'skipping the in-plan conflict check': {
      reason:
        'DESIGN §11: a plan is judged as a whole; two links that would route overlapping ranges into one network are never both accepted',
      planner: oneRequestAtATime,
      kinds: ['unsafe'],
    },
  };

  it.each(Object.entries(cases))('catches %s', (_name, c) => {
    const caught = firstCaught(c.planner, c.kinds);
    expect(caught).toBeDefined();
  });
});
