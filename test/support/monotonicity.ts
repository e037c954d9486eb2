import type { Cloud, Observation, Plan, Scope } from '../../shared/model';
import { describeScope, isAttachmentAction, isMutating } from '../../shared/model';
import type { ApprovalState, PlanInput } from '../../shared/planner';
import { attachApprovalKeys } from '../../shared/planner/transit';
import { Prng } from '../chaos/prng';
import { NOW } from './estate-builder';
import { describeFault, observeWithFaults, randomFaults, type ReadFault } from './partial-reads';
import { actionKey, PlanSafety } from './plan-safety';
import { realWorld, type RealWorld } from './real-world-estate';

/** Any planner with planScope's signature: the real one, or a deliberately broken one. */
export type Planner = (input: PlanInput) => Plan;

/**
 * One thing the oracle found on one seed. `throws`: the planner is not total; `unsafe`: a plan acts against the
 * ground truth (ownership, listing, overlap); `not-monotone`: a plan made with failed reads acts where the plan with
 * every read succeeding does not; `acted-blind`: it acts although it cannot know where the gaps are;
 * `held-when-complete`: a plan made with every read succeeding still holds an action (it waits for nothing).
 */
export interface Finding {
  seed: number;
  kind: 'throws' | 'unsafe' | 'not-monotone' | 'acted-blind' | 'held-when-complete';
  /** `full`, or the failed reads of the partial view. */
  view: string;
  detail: string;
}

/** What one seed exercised, so a run can show it was not vacuous. */
export interface SeedStats {
  fullChanges: number;
  partialChanges: number;
  /** Actions partial plans held: proof the views left something undecidable. */
  partialHeld: number;
  partialViews: number;
  /** Attachment actions in full plans, and those partial plans held: the transit links were exercised (issue 17). */
  transitChanges: number;
  transitHeld: number;
}

/** Partial views judged per seed: each a fresh random set of failed or truncated reads. */
export const VIEWS_PER_SEED = 3;

const describeView = (faults: readonly ReadFault[], blind: boolean) =>
  `${blind ? '(no unread entries) ' : ''}${faults.map((f) => `${f.partition.account}${f.partition.region ? `/${f.partition.region}` : ''} ${describeFault(f)}`).join('; ')}`;

/** Plans one observation of a world, recording a throw as a finding instead of stopping the run. */
function planOrFinding(
  planner: Planner,
  world: RealWorld,
  input: { observation: Observation; decisions: ReadonlyMap<string, ApprovalState>; scope?: Scope },
  view: string,
  findings: Finding[],
): Plan | undefined {
  try {
    return planner({ policy: world.policy, now: NOW, ...input });
  } catch (error) {
    findings.push({
      seed: world.seed,
      kind: 'throws',
      view,
      detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return undefined;
  }
}

/**
 * Where approvals stand for a third of the pending requests (approved, rejected, pending, expired), and for a third
 * of the attachments a chat-approved transit connection asks about: the same for every view.
 */
function randomDecisions(rng: Prng, world: RealWorld): Map<string, ApprovalState> {
  const states: ApprovalState[] = ['approved', 'approved', 'rejected', 'pending', 'expired'];
  const peerings = world.estate.peerings
    .filter((p) => p.state === 'requested' && rng.chance(0.35))
    .map((p): [string, ApprovalState] => [p.id, rng.pick(states)]);
  // Drawn after the peerings' (and only when there are any), so worlds without transit decide as before.
  const keys = attachApprovalKeys(world.policy, world.estate);
  const attachments = keys.length
    ? keys.filter(() => rng.chance(0.35)).map((k): [string, ApprovalState] => [k.id, rng.pick(states)])
    : [];
  return new Map([...peerings, ...attachments]);
}

/** The partitions of the declared transit hubs: where a view may miss a hub or part of what it lists. */
const hubPartitions = (world: RealWorld) =>
  Object.values(world.policy.transitHubs).map((h) => ({ cloud: h.cloud, account: h.account, region: h.region }));

/** A scope an event could name in what the partial view saw: one of its route tables, networks or accounts. */
function randomScope(rng: Prng, observation: Observation): Scope | undefined {
  if (observation.networks.length === 0) return undefined;
  const network = rng.pick(observation.networks);
  const table = network.routeTables.length > 0 ? rng.pick(network.routeTables) : undefined;
  const { cloud, account, region } = network.ref;
  const pick = rng.int(0, 2);
  if (pick === 0 && table) return { kind: 'route-table', cloud, account, region, routeTableId: table.id };
  if (pick === 1) return { kind: 'network', network: network.ref };
  return { kind: 'account', cloud, account, region };
}

/**
 * The monotonicity oracle for one seed (DESIGN §11): plan the world with every read succeeding, then with
 * random failed and truncated reads, for the whole estate and for a scope an event could name; every mutating
 * action of a partial plan must be in the full estate plan, the same; no plan may break the ground truth's safety
 * rules; an incomplete observation that cannot say where its gaps are (no `unread`, or a failed account discovery)
 * acts on nothing.
 */
export function judgeSeed(
  seed: number,
  planner: Planner,
  views = VIEWS_PER_SEED,
): { findings: Finding[]; stats: SeedStats; world: RealWorld } {
  const world = realWorld(seed);
  const rng = new Prng(seed * 7919 + 1);
  const safety = new PlanSafety(world);
  const findings: Finding[] = [];
  const stats: SeedStats = {
    fullChanges: 0,
    partialChanges: 0,
    partialHeld: 0,
    partialViews: 0,
    transitChanges: 0,
    transitHeld: 0,
  };
  const decisions = randomDecisions(rng, world);
  const full = planOrFinding(planner, world, { observation: world.estate, decisions }, 'full', findings);
  if (full) {
    for (const detail of safety.check(full, decisions)) findings.push({ seed, kind: 'unsafe', view: 'full', detail });
    stats.fullChanges = full.actions.filter(isMutating).length;
    stats.transitChanges = full.actions.filter(isAttachmentAction).length;
    for (const h of full.held)
      findings.push({
        seed,
        kind: 'held-when-complete',
        view: 'full',
        detail: `${h.action.action} ${JSON.stringify(h.action.target)} waits for ${h.waitingFor.join(', ')}: ${h.reason}`,
      });
  }
  const fullKeys = new Set((full?.actions ?? []).filter(isMutating).map(actionKey));
  const judge = (partial: Plan, view: string, unlocated: (cloud: Cloud) => boolean) => {
    for (const detail of safety.check(partial, decisions)) findings.push({ seed, kind: 'unsafe', view, detail });
    const changes = partial.actions.filter(isMutating);
    for (const a of changes) {
      const what = `${a.action} ${JSON.stringify(a.target)}`;
      if (unlocated(a.cloud))
        findings.push({
          seed,
          kind: 'acted-blind',
          view,
          detail: `${what}: planned although the observation cannot say what it did not read`,
        });
      else if (full && !fullKeys.has(actionKey(a)))
        findings.push({
          seed,
          kind: 'not-monotone',
          view,
          detail: `${what}: the plan with every read succeeding has no such action`,
        });
    }
    return changes.length;
  };
  for (let i = 0; i < views; i++) {
    const faults = randomFaults(rng, world.truth.partitions, world.truth.denying, hubPartitions(world));
    const blind = rng.chance(0.05);
    const view = describeView(faults, blind);
    // No unread entries: nothing is known for certain. A failed discovery (`*`): nothing of that cloud.
    const unlocated = (cloud: Cloud) =>
      blind || faults.some((f) => f.partition.account === '*' && f.partition.cloud === cloud);
    const observation = observeWithFaults(world.estate, faults, world.truth.partitions, blind);
    const partial = planOrFinding(planner, world, { observation, decisions }, view, findings);
    if (partial) {
      stats.partialViews += 1;
      stats.partialChanges += judge(partial, view, unlocated);
      stats.partialHeld += partial.held.length;
      stats.transitHeld += partial.held.filter((h) => isAttachmentAction(h.action)).length;
    }
    const scope = randomScope(rng, observation);
    const scoped =
      scope &&
      planOrFinding(
        planner,
        world,
        { observation, decisions, scope },
        `${view} | scope ${describeScope(scope)}`,
        findings,
      );
    if (scoped && scope) judge(scoped, `${view} | scope ${describeScope(scope)}`, unlocated);
  }
  const unique = new Map(findings.map((f) => [`${f.kind}|${f.view}|${f.detail}`, f]));
  return { findings: [...unique.values()], stats, world };
}
