import { createHash } from 'node:crypto';
import type { Cloud, Observation } from '../model';
import { CLOUD_LIMITS } from '../planner/limits';
import { compilePolicy } from '../policy/compiled';
import { governedAccounts } from '../policy/governed';
import type { Policy } from '../policy/schema';
import type { PeeringProvider } from '../providers/port';
import type { SecretSource } from '../providers/secrets';

/** One line of `peerkeeper doctor`: what was checked, the verdict, and how to fix a problem. */
export interface CheckResult {
  check: string;
  status: 'ok' | 'problem' | 'skipped';
  detail: string;
  fix?: string;
}

/** One event path into peerkeeper (an EventBridge rule, an Event Grid system topic, a log sink). */
export interface EventRoute {
  name: string;
  present: boolean;
  /** Events it delivered, if the deployment can tell (0 = none arrived yet). */
  delivered?: number;
  fix: string;
}

/**
 * What doctor asks of a deployment, per cloud. The provider reads accounts; the rest comes from the
 * deployment itself (rules, secrets, the policy the functions load). A piece the deployment cannot answer
 * is undefined and its check is reported as skipped, with why — never as ok.
 */
export interface DoctorTarget {
  cloud: Cloud;
  provider: PeeringProvider;
  /** How to grant peerkeeper access to an account it cannot read, in this cloud's words. */
  accessFix: string;
  eventRoutes?: () => Promise<EventRoute[]>;
  secrets?: { source: SecretSource; names: readonly string[]; fix: string };
  /** SHA-256 of the compiled policy the deployed functions load. */
  deployedPolicyHash?: () => Promise<string | undefined>;
  /** Why a skipped check could not be made here. */
  skipped?: Partial<Record<'events' | 'secrets' | 'policy', string>>;
}

/** SHA-256 of the compiled policy (what `validate --out` writes and the functions load), hex. */
export function policyHash(policy: Policy): string {
  return createHash('sha256').update(compilePolicy(policy)).digest('hex');
}

// Warn at 80 % of a quota: AWS raises peerings per VPC (50 → 125) on request, which takes days, not minutes.
const NEAR_LIMIT = 0.8;

/** Networks and route tables at or above 80 % of their cloud's quota (pure). */
export function quotaFindings(observation: Observation, cloud: Cloud): string[] {
  const limits = CLOUD_LIMITS[cloud];
  const peeringsPer = new Map<string, number>();
  for (const p of observation.peerings) {
    if (p.cloud !== cloud || (p.state !== 'active' && p.state !== 'requested')) continue;
    for (const side of [p.requester, p.accepter]) peeringsPer.set(side.id, (peeringsPer.get(side.id) ?? 0) + 1);
  }
  const out: string[] = [];
  for (const n of observation.networks.filter((x) => x.ref.cloud === cloud)) {
    const peerings = peeringsPer.get(n.ref.id) ?? 0;
    if (peerings >= limits.peeringsPerNetwork * NEAR_LIMIT)
      out.push(`${n.ref.id}: ${peerings} of ${limits.peeringsPerNetwork} peerings`);
    for (const t of n.routeTables) {
      if (t.routes.length >= limits.routesPerTable * NEAR_LIMIT)
        out.push(`${t.id}: ${t.routes.length} of ${limits.routesPerTable} routes`);
    }
  }
  return out;
}

/**
 * Runs every preflight check against one cloud's deployment. Read-only: it observes and reads, never writes.
 * Each governed account is its own check, so a missing role in one account is one problem, named.
 */
export async function runDoctor(policy: Policy, target: DoctorTarget): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const observations: Observation[] = [];
  for (const account of governedAccounts(policy, target.cloud)) {
    const observed = await target.provider.observe([{ cloud: target.cloud, account }]).catch(
      (error: unknown) =>
        ({
          complete: false,
          gaps: [error instanceof Error ? error.message : String(error)],
          accounts: [],
          networks: [],
          peerings: [],
        }) satisfies Observation,
    );
    observations.push(observed);
    results.push(
      observed.complete
        ? {
            check: `${target.cloud} account ${account}`,
            status: 'ok',
            detail: `read ${observed.networks.length} network(s), ${observed.peerings.length} peering(s)`,
          }
        : {
            check: `${target.cloud} account ${account}`,
            status: 'problem',
            detail: `cannot read it completely: ${observed.gaps.slice(0, 3).join('; ')}`,
            fix: target.accessFix.replace('{account}', account),
          },
    );
  }
  results.push(...(await eventChecks(target)));
  results.push(...(await secretChecks(target)));
  results.push(await policyCheck(policy, target));
  const near = observations.flatMap((o) => quotaFindings(o, target.cloud));
  results.push(
    near.length === 0
      ? {
          check: `${target.cloud} quotas`,
          status: 'ok',
          detail: `every network and table below ${NEAR_LIMIT * 100} % (${CLOUD_LIMITS[target.cloud].label})`,
        }
      : {
          check: `${target.cloud} quotas`,
          status: 'problem',
          detail: `near the limit: ${near.slice(0, 5).join(', ')}${near.length > 5 ? ` and ${near.length - 5} more` : ''}`,
          fix: 'request a quota increase before the policy needs the room (the planner stops at the limit and says so)',
        },
  );
  return results;
}

async function eventChecks(target: DoctorTarget): Promise<CheckResult[]> {
  if (!target.eventRoutes)
    return [
      {
        check: `${target.cloud} event routes`,
        status: 'skipped',
        detail: target.skipped?.events ?? 'not checked for this deployment',
      },
    ];
  const routes = await target.eventRoutes();
  return routes.map((r) =>
    !r.present
      ? { check: `${target.cloud} event route ${r.name}`, status: 'problem', detail: 'missing', fix: r.fix }
      : {
          check: `${target.cloud} event route ${r.name}`,
          status: 'ok',
          detail: r.delivered === undefined ? 'present' : `present; ${r.delivered} event(s) delivered`,
        },
  );
}

async function secretChecks(target: DoctorTarget): Promise<CheckResult[]> {
  if (!target.secrets)
    return [
      {
        check: `${target.cloud} secrets`,
        status: 'skipped',
        detail: target.skipped?.secrets ?? 'chat is not configured: approvals go to the CLI',
      },
    ];
  const { source, names, fix } = target.secrets;
  const out: CheckResult[] = [];
  for (const name of names) {
    const value = await source.get(name).then(
      (v) => ({ v }),
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
    );
    // Only the secret's name is ever printed, never its value.
    if ('error' in value)
      out.push({
        check: `${target.cloud} secret ${name}`,
        status: 'problem',
        detail: `cannot read it: ${value.error}`,
        fix,
      });
    else if (!value.v)
      out.push({
        check: `${target.cloud} secret ${name}`,
        status: 'problem',
        detail: 'does not exist or is empty',
        fix,
      });
    else out.push({ check: `${target.cloud} secret ${name}`, status: 'ok', detail: 'exists' });
  }
  return out;
}

async function policyCheck(policy: Policy, target: DoctorTarget): Promise<CheckResult> {
  const check = `${target.cloud} deployed policy`;
  if (!target.deployedPolicyHash)
    return {
      check,
      status: 'skipped',
      detail: target.skipped?.policy ?? 'the deployment does not say which policy it loads',
    };
  const deployed = await target.deployedPolicyHash();
  const mine = policyHash(policy);
  if (deployed === undefined)
    return {
      check,
      status: 'problem',
      detail: 'the deployment does not record its policy hash',
      fix: 'redeploy with this version of peerkeeper (packaging records PEERKEEPER_POLICY_SHA256)',
    };
  return deployed === mine
    ? { check, status: 'ok', detail: `same policy (sha256 ${mine.slice(0, 12)})` }
    : {
        check,
        status: 'problem',
        detail: `the deployed policy differs: deployed sha256 ${deployed.slice(0, 12)}, this policy ${mine.slice(0, 12)}`,
        fix: 'deploy this policy (or run doctor with the deployed one)',
      };
}
