import type { Cloud } from '../model';
import type { PeeringProvider } from '../providers/port';
import { staticSecrets } from '../providers/secrets';
import type { DoctorTarget } from './checks';

/**
 * What the local cloud (`npm start -- --interactive`) tells doctor about itself, written beside its endpoints
 * in <state-dir>/local.json: the stand-in of each cloud's deployment (secret store, event routes, policy).
 */
export interface LocalDeploymentFacts {
  /** SHA-256 of the compiled policy the local functions load. */
  policySha256: string;
  /** The local secret store (the stand-in for SSM, Key Vault and Secret Manager): name → value. */
  secrets: Record<string, string>;
  /** The secrets the functions are configured to read. */
  secretNames: string[];
  /** Events each cloud's route delivered to its function so far. */
  delivered: Partial<Record<Cloud, number>>;
}

const ACCESS_FIX: Record<Cloud, string> = {
  aws: 'deploy infra/aws/member-account.yaml in account {account} (the StackSet does this for the organization); its role name and ExternalId must match providers.aws in the policy',
  azure:
    'grant the function app\'s identity "Network Contributor" on subscription {account} (infra/azure: var.governed_subscriptions)',
  gcp: 'grant the function service account roles/compute.networkAdmin in project {account} (infra/gcp: var.governed_projects)',
};

/** The event path of each cloud, as the deployments name it. */
const ROUTE_NAME: Record<Cloud, string> = {
  aws: 'EventBridge rules → network-event',
  azure: 'Event Grid system topics → event-grid',
  gcp: 'log sink → Pub/Sub → event',
};

/** Doctor targets for the local cloud: the real adapters against the emulators, and the local deployment's facts. */
export function localDoctorTargets(
  providers: Partial<Record<Cloud, PeeringProvider>>,
  facts: LocalDeploymentFacts,
): DoctorTarget[] {
  return (Object.keys(providers) as Cloud[])
    .filter((c) => providers[c] !== undefined)
    .map((cloud) => ({
      cloud,
      provider: providers[cloud]!,
      accessFix: ACCESS_FIX[cloud],
      eventRoutes: async () => [
        {
          name: ROUTE_NAME[cloud],
          present: facts.delivered[cloud] !== undefined,
          ...(facts.delivered[cloud] !== undefined ? { delivered: facts.delivered[cloud] } : {}),
          fix: 'start the local cloud with its functions attached (npm start -- --interactive)',
        },
      ],
      // One process hosts the three local deployments, with one secret store and one policy: check them once, under aws.
      ...(cloud === 'aws'
        ? {
            secrets: {
              source: staticSecrets(facts.secrets),
              names: facts.secretNames,
              fix: 'put the secret in the local secret store (secrets in <state-dir>/local.json), as you would in SSM / Key Vault / Secret Manager',
            },
            deployedPolicyHash: async () => facts.policySha256,
          }
        : {
            skipped: {
              secrets: 'one local secret store, checked under aws',
              policy: 'one local policy, checked under aws',
            },
          }),
    }));
}

/** The access fix for an account in each cloud (doctor prints it under an unreadable account). */
export const DOCTOR_ACCESS_FIX = ACCESS_FIX;
