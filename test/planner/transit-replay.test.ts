import type { Action, Plan } from '../../shared/model';
import { isAttachmentAction, isMutating } from '../../shared/model';
import { planScope } from '../../shared/planner';
import type { Policy } from '../../shared/policy/schema';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import { executePlan } from '../../shared/reconcile';
import { chaosSeeds, reproduction } from '../chaos/seeds';
import { NOW } from '../support/estate-builder';
import { realWorld } from '../support/real-world-estate';

// 300 real-world estates by default (the worlds with transit hubs: ~60%), three plans each over the in-memory cloud.
const SEEDS = chaosSeeds(300);
const FILE = 'test/planner/transit-replay.test.ts';

/** A route toward a declared hub: the transit planner's only route writes. */
const towardHub = (policy: Policy, a: Action) =>
  (a.action === 'create-route' || a.action === 'replace-route') &&
  a.after.kind === 'other' &&
  Object.values(policy.transitHubs).some((h) => a.after.kind === 'other' && a.after.id === h.id);

const describe1 = (a: Action) => `${a.action} ${JSON.stringify(a.target)}: ${a.reason}`;

/** Plans the cloud as it is and executes every action the plan may run (the executor resolves created ids). */
async function round(policy: Policy, memory: MemoryCloud): Promise<Plan> {
  const plan = planScope({ policy, observation: memory.snapshot(), now: NOW });
  const results = await executePlan(plan, {
    providers: memoryProviders(memory),
    now: () => NOW,
    deadline: Number.MAX_SAFE_INTEGER,
    mode: 'enforce',
    sleep: async () => undefined,
  });
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0)
    throw new Error(`${failed.length} actions failed: ${failed.map((r) => describe1(r.action)).join(' | ')}`);
  return plan;
}

/**
 * Idempotence of the transit planner (issue 17): a plan replayed through the in-memory cloud (AWS and NCC create then
 * accept another account's attachment within the one plan; Azure creates it active) leaves nothing to decide about
 * attachments: the next plan has no attachment action. It may route toward the hub from the spokes that became
 * active (routes wait for an active attachment), and the plan after that has no transit change at all.
 */
describe(`transit plans replayed through the in-memory cloud (${SEEDS.length} real-world estates)`, () => {
  const second: string[] = [];
  const third: string[] = [];
  let replayed = 0;
  let attachmentsRun = 0;

  beforeAll(async () => {
    for (const seed of SEEDS) {
      const world = realWorld(seed);
      if (Object.keys(world.policy.transitHubs).length === 0) continue;
      replayed += 1;
      const memory = new MemoryCloud(world.estate, () => NOW);
      const first = await round(world.policy, memory);
      attachmentsRun += first.actions.filter(isAttachmentAction).length;
      const next = await round(world.policy, memory);
      for (const a of next.actions.filter(isAttachmentAction))
        second.push(`seed ${seed}: ${describe1(a)}\n  reproduce: ${reproduction(seed, FILE)}`);
      const last = planScope({ policy: world.policy, observation: memory.snapshot(), now: NOW });
      for (const a of last.actions.filter(
        (x) => isMutating(x) && (isAttachmentAction(x) || towardHub(world.policy, x)),
      ))
        third.push(`seed ${seed}: ${describe1(a)}\n  reproduce: ${reproduction(seed, FILE)}`);
    }
  });

  it('the plan after a replayed plan decides no attachment again', () => {
    expect(second).toEqual([]);
  });

  it('the plan after that changes no transit link or route toward a hub', () => {
    expect(third).toEqual([]);
  });

  it('is not vacuous: worlds with transit hubs were replayed and their first plans acted on attachments', () => {
    if (SEEDS.length < 50) return;
    expect(replayed).toBeGreaterThan(SEEDS.length / 3);
    expect(attachmentsRun).toBeGreaterThan(replayed / 2);
  });
});
