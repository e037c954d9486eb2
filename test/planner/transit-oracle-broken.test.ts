import type { Action } from '../../shared/model';
import { MANAGED_TAG } from '../../shared/model';
import { planScope, type PlanInput } from '../../shared/planner';
import { judgeSeed, type Finding, type Planner } from '../support/monotonicity';

/** The transit bug injected (`mock` prefix: jest lets the hoisted factories read it); `none` is the real planner. */
let mockBreakage: 'none' | 'ignore-hub-claims' | 'ignore-transit-holds' | 'update-foreign' = 'none';

/** Puts every active attachment nobody tagged back on the hub's declared table, as if it were peerkeeper's. */
function foreignUpdates(input: PlanInput): Action[] {
  return (input.observation.attachments ?? []).flatMap((a): Action[] => {
    const decl = Object.values(input.policy.transitHubs).find((h) => a.hub.id.endsWith(h.id));
    if (!decl || a.state !== 'active' || a.tags[MANAGED_TAG] === 'true' || a.association === decl.associate) return [];
    return [
      {
        action: 'update-attachment',
        cloud: a.cloud,
        reason: 'injected bug',
        target: { id: a.id, hub: a.hub, network: a.network },
        before: { ...(a.association ? { association: a.association } : {}), propagations: a.propagations },
        after: { association: decl.associate, propagations: [decl.associate] },
      },
    ];
  });
}

/** planScope with the injected bug that lives outside a module (an extra action); the mocks cover the rest. */
const planner: Planner = (input) => {
  const plan = planScope(input);
  return mockBreakage === 'update-foreign' ? { ...plan, actions: [...plan.actions, ...foreignUpdates(input)] } : plan;
};

// The real planner runs unchanged; only the module a bug lives in is wrapped, and only while a case sets it.
jest.mock('../../shared/planner/transit/claims', () => {
  const actual = jest.requireActual<typeof import('../../shared/planner/transit/claims')>(
    '../../shared/planner/transit/claims',
  );
  return {
    ...actual,
    attachRefusal: (...args: Parameters<typeof actual.attachRefusal>) =>
      mockBreakage === 'ignore-hub-claims' ? undefined : actual.attachRefusal(...args),
  };
});
jest.mock('../../shared/planner/transit/holds', () => {
  const actual = jest.requireActual<typeof import('../../shared/planner/transit/holds')>(
    '../../shared/planner/transit/holds',
  );
  return {
    ...actual,
    transitDependencies: (...args: Parameters<typeof actual.transitDependencies>) =>
      mockBreakage === 'ignore-transit-holds' ? [] : actual.transitDependencies(...args),
  };
});

/** Seeds searched per broken planner; each is caught within the first few dozen, the search stops at the first. */
const SEARCH = Number(process.env.BROKEN_SEARCH ?? 300);

const keyOf = (f: Finding) => `${f.kind}|${f.view}|${f.detail}`;

/** The first seed on which the broken planner has a finding of `kind` the real planner does not have. */
function firstCaught(
  breakage: typeof mockBreakage,
  kinds: readonly Finding['kind'][],
): { seed: number; finding: Finding } | undefined {
  for (let seed = 1; seed <= SEARCH; seed++) {
    mockBreakage = 'none';
    const real = new Set(judgeSeed(seed, planScope).findings.map(keyOf));
    mockBreakage = breakage;
    const finding = judgeSeed(seed, planner).findings.find((f) => kinds.includes(f.kind) && !real.has(keyOf(f)));
    mockBreakage = 'none';
    if (finding) return { seed, finding };
  }
  return undefined;
}

describe('the monotonicity oracle catches a deliberately broken transit planner (issue 17)', () => {
  afterEach(() => {
    mockBreakage = 'none';
  });

  const cases: Record<
    string,
    { reason: string; breakage: typeof mockBreakage; kinds: Finding['kind'][]; text: RegExp }
  > = {
    'attaching spokes without checking the hub claims': {
      reason:
        'issue 17: a spoke overlapping a range the hub routes, a range it reaches in another cloud, or another spoke of the same plan is never attached',
      breakage: 'ignore-hub-claims',
      kinds: ['unsafe'],
      text: /attachment .*(overlap|in one plan)|attaches .* in one plan/,
    },
    'attaching and routing without the transit holds': {
      reason:
        'DESIGN §11: an attachment waits for the groups its hub reaches, a route toward a hub for its spokes and reached groups',
      breakage: 'ignore-transit-holds',
      kinds: ['not-monotone'],
      text: /attachment|create-route/,
    },
    're-routing attachments peerkeeper does not own': {
      reason: "issue 17: a foreign attachment's association and propagations are never changed, drift is only reported",
      breakage: 'update-foreign',
      kinds: ['unsafe'],
      text: /update-attachment .*does not own/,
    },
  };

  it.each(Object.entries(cases))('catches %s', (_name, c) => {
    const caught = firstCaught(c.breakage, c.kinds);
    expect(caught).toBeDefined();
    expect(caught!.finding.detail).toMatch(c.text);
  });

  it('the real planner passes the seeds the search walks (the catch is the bug, not the harness)', () => {
    for (let seed = 1; seed <= 25; seed++) expect(judgeSeed(seed, planScope).findings).toEqual([]);
  });
});
