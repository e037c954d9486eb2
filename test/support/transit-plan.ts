import type { Cloud, Observation, Plan } from '../../shared/model';
import { planScope } from '../../shared/planner';
import type { ApprovalState } from '../../shared/planner';
import type { Policy } from '../../shared/policy/schema';
import { NOW } from './estate-builder';

/** The plan of an observation at the test clock's time, with approval decisions by id. */
export const planAt = (
  policy: Policy,
  observation: Observation,
  decisions: Map<string, ApprovalState> = new Map(),
): Plan => planScope({ policy, observation, now: NOW, decisions });
/** The kinds of a plan's actions, reports left out. */
export const attachmentKinds = (p: Plan) => p.actions.filter((a) => a.action !== 'report').map((a) => a.action);
/** The reasons of a plan's reports. */
export const reportsOf = (p: Plan) => p.actions.filter((a) => a.action === 'report').map((a) => a.reason);
export const TRANSIT_CLOUDS: Cloud[] = ['aws', 'azure', 'gcp'];
