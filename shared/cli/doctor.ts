import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDoctor, type CheckResult, type DoctorTarget } from '../doctor/checks';
import { DOCTOR_ACCESS_FIX, localDoctorTargets, type LocalDeploymentFacts } from '../doctor/local';
import type { Policy } from '../policy';
import { createAwsProvider } from '../providers/aws';
import { AwsDeploymentProbe } from '../providers/aws/deployment';
import { SsmSecretSource } from '../providers/aws/secrets';
import { createAzureProvider } from '../providers/azure';
import { createGcpProvider } from '../providers/gcp';
import { stateDir } from './approvals';
import { CliError, readPolicy } from './io';
import type { CliOutput } from './output';
import { localCloudProviders } from './providers';

/** Arguments of `peerkeeper doctor`. */
export interface DoctorArgs {
  policy: string;
  provider?: string;
  stateDir?: string;
  json?: boolean;
}

/** The AWS deployment's names (serverless.yml defaults for stage prod); the same variables configure them. */
function awsTarget(policy: Policy, env: NodeJS.ProcessEnv): DoctorTarget {
  const stage = env.PEERKEEPER_STAGE ?? 'prod';
  const probe = new AwsDeploymentProbe({ busName: env.PEERKEEPER_EVENT_BUS ?? `peerkeeper-${stage}`, functionName: env.PEERKEEPER_FUNCTION ?? `peerkeeper-${stage}-network-event` });
  const names = [env.PEERKEEPER_SLACK_TOKEN_PARAMETER ?? '/peerkeeper/slack/bot-token', env.PEERKEEPER_SLACK_SIGNING_SECRET_PARAMETER ?? '/peerkeeper/slack/signing-secret'];
  return {
    cloud: 'aws', provider: createAwsProvider(policy, env), accessFix: DOCTOR_ACCESS_FIX.aws,
    eventRoutes: () => probe.eventRoutes(),
    secrets: { source: new SsmSecretSource(), names, fix: 'aws ssm put-parameter --type SecureString --name <name> --value … (docs/deploy/aws.md, step 2)' },
    deployedPolicyHash: () => probe.deployedPolicyHash(),
  };
}

const NOT_FROM_HERE = (cloud: string) => `not checked from a workstation for ${cloud} yet: \`terraform plan\` in infra/${cloud} shows drift in these (docs/deploy/${cloud}.md)`;

/** The targets a `--provider` names. Azure and GCP check account access and quotas; their deployment checks are skipped, saying so. */
async function targetsFor(kind: string, policy: Policy, dir: string, env: NodeJS.ProcessEnv): Promise<DoctorTarget[]> {
  switch (kind) {
    case 'aws': return [awsTarget(policy, env)];
    case 'azure': return [{ cloud: 'azure', provider: createAzureProvider(policy, env), accessFix: DOCTOR_ACCESS_FIX.azure, skipped: { events: NOT_FROM_HERE('azure'), secrets: NOT_FROM_HERE('azure'), policy: NOT_FROM_HERE('azure') } }];
    case 'gcp': return [{ cloud: 'gcp', provider: createGcpProvider(policy, env), accessFix: DOCTOR_ACCESS_FIX.gcp, skipped: { events: NOT_FROM_HERE('gcp'), secrets: NOT_FROM_HERE('gcp'), policy: NOT_FROM_HERE('gcp') } }];
    case 'local': {
      const file = env.PEERKEEPER_LOCAL_FILE ?? join(dir, 'local.json');
      const providers = await localCloudProviders(policy, dir, env);
      const facts = (JSON.parse(readFileSync(file, 'utf8')) as { deployment?: LocalDeploymentFacts }).deployment;
      if (!facts) throw new CliError(`${file} has no deployment facts: restart the local cloud with this version (npm start -- --interactive)`);
      return localDoctorTargets(providers, facts);
    }
    default: throw new CliError(`doctor --provider ${kind}: expected aws, azure, gcp or local`);
  }
}

const MARK: Record<CheckResult['status'], string> = { ok: '✓', problem: '✗', skipped: '–' };

/** Prints the results and returns the exit code: 1 when any check found a problem. */
export function printDoctor(results: readonly CheckResult[], io: CliOutput, json = false): number {
  const problems = results.filter((r) => r.status === 'problem').length;
  if (json) io.out(`${JSON.stringify({ ok: problems === 0, results }, null, 2)}\n`);
  else {
    for (const r of results) io.out(`${MARK[r.status]} ${r.check}: ${r.detail}\n${r.fix ? `    fix: ${r.fix}\n` : ''}`);
    io.out(`\n${results.length} checks: ${results.filter((r) => r.status === 'ok').length} ok, ${problems} problem(s), ${results.filter((r) => r.status === 'skipped').length} skipped\n`);
  }
  return problems === 0 ? 0 : 1;
}

/** Runs doctor over targets (one per cloud), in order. */
export async function doctorChecks(policy: Policy, targets: readonly DoctorTarget[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const t of targets) results.push(...await runDoctor(policy, t));
  return results;
}

/**
 * `peerkeeper doctor --provider aws|azure|gcp|local --policy P [--json]`: the preflight a user runs before and
 * after deploying. Read-only. Exit 0 when every check is ok or skipped, 1 on any problem.
 */
export async function doctorCommand(args: DoctorArgs, io: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!args.provider) throw new CliError('doctor needs --provider aws|azure|gcp|local');
  const { policy } = readPolicy(args.policy);
  const targets = await targetsFor(args.provider, policy, stateDir(args.stateDir), env);
  return printDoctor(await doctorChecks(policy, targets), io, args.json === true);
}
