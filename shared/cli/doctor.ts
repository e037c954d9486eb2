import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDoctor, type CheckResult, type DoctorTarget } from '../doctor/checks';
import { DOCTOR_ACCESS_FIX, localDoctorTargets, type LocalDeploymentFacts } from '../doctor/local';
import type { Policy } from '../policy';
import { createAwsProvider } from '../providers/aws';
import { AwsDeploymentProbe } from '../providers/aws/deployment';
import { SsmSecretSource } from '../providers/aws/secrets';
import { createAzureProvider } from '../providers/azure';
import { defaultCredential } from '../providers/azure/connect';
import { AzureDeploymentProbe } from '../providers/azure/deployment';
import { KeyVaultSecretSource } from '../providers/azure/secrets';
import { applicationDefaultCredentials, createGcpProvider } from '../providers/gcp';
import { GcpDeploymentProbe } from '../providers/gcp/deployment';
import { SecretManagerSource } from '../providers/gcp/secrets';
import type { SecretSource } from '../providers/secrets';
import { governedAccounts } from '../policy/governed';
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
  const probe = new AwsDeploymentProbe({
    busName: env.PEERKEEPER_EVENT_BUS ?? `peerkeeper-${stage}`,
    functionName: env.PEERKEEPER_FUNCTION ?? `peerkeeper-${stage}-network-event`,
  });
  const names = [
    env.PEERKEEPER_SLACK_TOKEN_PARAMETER ?? '/peerkeeper/slack/bot-token',
    env.PEERKEEPER_SLACK_SIGNING_SECRET_PARAMETER ?? '/peerkeeper/slack/signing-secret',
  ];
  return {
    cloud: 'aws',
    provider: createAwsProvider(policy, env),
    accessFix: DOCTOR_ACCESS_FIX.aws,
    eventRoutes: () => probe.eventRoutes(),
    secrets: {
      source: new SsmSecretSource(),
      names,
      fix: 'aws ssm put-parameter --type SecureString --name <name> --value … (docs/deploy/aws.md, step 2)',
    },
    deployedPolicyHash: () => probe.deployedPolicyHash(),
  };
}

/** Why Azure or GCP deployment checks were skipped: the variables naming the deployment (terraform outputs). */
const unnamed = (vars: string) => `set ${vars} (terraform output in infra/…) to check the deployment itself`;

/** The Azure deployment named by PEERKEEPER_AZURE_SUBSCRIPTION / _RESOURCE_GROUP / _FUNCTION_APP; access and quotas only without them. */
function azureTarget(policy: Policy, env: NodeJS.ProcessEnv): DoctorTarget {
  const base: DoctorTarget = {
    cloud: 'azure',
    provider: createAzureProvider(policy, env),
    accessFix: DOCTOR_ACCESS_FIX.azure,
  };
  const subscription = env.PEERKEEPER_AZURE_SUBSCRIPTION;
  const functionApp = env.PEERKEEPER_AZURE_FUNCTION_APP;
  if (!subscription || !functionApp) {
    const why = unnamed('PEERKEEPER_AZURE_SUBSCRIPTION and PEERKEEPER_AZURE_FUNCTION_APP (function_app_name)');
    return { ...base, skipped: { events: why, secrets: why, policy: why } };
  }
  const credential = defaultCredential(env);
  const probe = new AzureDeploymentProbe({
    subscription,
    resourceGroup: env.PEERKEEPER_AZURE_RESOURCE_GROUP ?? 'peerkeeper',
    functionApp,
    managedSubscriptions: governedAccounts(policy, 'azure'),
    credential,
    ...(env.PEERKEEPER_AZURE_ENDPOINT ? { endpoint: env.PEERKEEPER_AZURE_ENDPOINT } : {}),
  });
  // The vault and the secrets' names are the app's own settings, so doctor checks what the functions will read.
  const vault: SecretSource = {
    get: async (name) => {
      const settings = await probe.appSettings();
      const vaultUrl = settings.PEERKEEPER_KEY_VAULT_URL;
      if (!vaultUrl) throw new CliError('the app has no PEERKEEPER_KEY_VAULT_URL setting');
      return new KeyVaultSecretSource({ vaultUrl, credential }).get(settings[name] ?? name);
    },
  };
  return {
    ...base,
    eventRoutes: () => probe.eventRoutes(),
    deployedPolicyHash: () => probe.deployedPolicyHash(),
    secrets: {
      source: vault,
      names: ['PEERKEEPER_SLACK_TOKEN_SECRET', 'PEERKEEPER_SLACK_SIGNING_SECRET'],
      fix: 'az keyvault secret set --vault-name <vault> --name <secret> (docs/deploy/azure.md, step 4)',
    },
  };
}

/** The GCP deployment named by PEERKEEPER_GCP_PROJECT (host project), _REGION and _ORGANIZATION; access and quotas only without them. */
function gcpTarget(policy: Policy, env: NodeJS.ProcessEnv): DoctorTarget {
  const base: DoctorTarget = {
    cloud: 'gcp',
    provider: createGcpProvider(policy, env),
    accessFix: DOCTOR_ACCESS_FIX.gcp,
  };
  const project = env.PEERKEEPER_GCP_PROJECT;
  if (!project) {
    const why = unnamed('PEERKEEPER_GCP_PROJECT (the host project) and PEERKEEPER_GCP_ORGANIZATION');
    return { ...base, skipped: { events: why, secrets: why, policy: why } };
  }
  const tokens = applicationDefaultCredentials(['https://www.googleapis.com/auth/cloud-platform']);
  const probe = new GcpDeploymentProbe({
    project,
    region: env.PEERKEEPER_GCP_REGION ?? 'us-central1',
    tokens,
    ...(env.PEERKEEPER_GCP_ORGANIZATION ? { organization: env.PEERKEEPER_GCP_ORGANIZATION } : {}),
  });
  return {
    ...base,
    eventRoutes: () => probe.eventRoutes(),
    deployedPolicyHash: () => probe.deployedPolicyHash(),
    secrets: {
      source: new SecretManagerSource({ tokens, project }),
      names: ['peerkeeper-slack-bot-token', 'peerkeeper-slack-signing-secret'],
      fix: 'gcloud secrets versions add <secret> --data-file=- (docs/deploy/gcp.md, step 4)',
    },
  };
}

/** The targets a `--provider` names. Azure and GCP check their deployment when environment variables name it (docs/deploy). */
async function targetsFor(kind: string, policy: Policy, dir: string, env: NodeJS.ProcessEnv): Promise<DoctorTarget[]> {
  switch (kind) {
    case 'aws':
      return [awsTarget(policy, env)];
    case 'azure':
      return [azureTarget(policy, env)];
    case 'gcp':
      return [gcpTarget(policy, env)];
    case 'local': {
      const file = env.PEERKEEPER_LOCAL_FILE ?? join(dir, 'local.json');
      const providers = await localCloudProviders(policy, dir, env);
      const facts = (JSON.parse(readFileSync(file, 'utf8')) as { deployment?: LocalDeploymentFacts }).deployment;
      if (!facts)
        throw new CliError(
          `${file} has no deployment facts: restart the local cloud with this version (npm start -- --interactive)`,
        );
      return localDoctorTargets(providers, facts);
    }
    default:
      throw new CliError(`doctor --provider ${kind}: expected aws, azure, gcp or local`);
  }
}

const MARK: Record<CheckResult['status'], string> = { ok: '✓', problem: '✗', skipped: '–' };

/** Prints the results and returns the exit code: 1 when any check found a problem. */
export function printDoctor(results: readonly CheckResult[], io: CliOutput, json = false): number {
  const problems = results.filter((r) => r.status === 'problem').length;
  if (json) io.out(`${JSON.stringify({ ok: problems === 0, results }, null, 2)}\n`);
  else {
    for (const r of results) io.out(`${MARK[r.status]} ${r.check}: ${r.detail}\n${r.fix ? `    fix: ${r.fix}\n` : ''}`);
    io.out(
      `\n${results.length} checks: ${results.filter((r) => r.status === 'ok').length} ok, ${problems} problem(s), ${results.filter((r) => r.status === 'skipped').length} skipped\n`,
    );
  }
  return problems === 0 ? 0 : 1;
}

/** Runs doctor over targets (one per cloud), in order. */
export async function doctorChecks(policy: Policy, targets: readonly DoctorTarget[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const t of targets) results.push(...(await runDoctor(policy, t)));
  return results;
}

/**
 * `peerkeeper doctor --provider aws|azure|gcp|local --policy P [--json]`: the preflight a user runs before and
 * after deploying. Read-only. Exit 0 when every check is ok or skipped, 1 on any problem.
 */
export async function doctorCommand(
  args: DoctorArgs,
  io: CliOutput,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (!args.provider) throw new CliError('doctor needs --provider aws|azure|gcp|local');
  const { policy } = readPolicy(args.policy);
  const targets = await targetsFor(args.provider, policy, stateDir(args.stateDir), env);
  return printDoctor(await doctorChecks(policy, targets), io, args.json === true);
}
