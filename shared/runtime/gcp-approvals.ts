import type { Policy } from '../policy';
import { applicationDefaultCredentials } from '../providers/gcp';
import { SecretManagerSource } from '../providers/gcp/secrets';
import { cachedSecrets, type SecretSource } from '../providers/secrets';
import { GcsApprovalStore, GcsAuditLog, type GcsOptions } from '../stores/gcs';
import type { AuditLog } from '../stores/ports';
import { ApprovalWiring } from './approvals';
import type { RuntimeLog } from './aws-runtime';

/** Settings infra/gcp/main.tf adds for chat approvals (the secret names themselves are APPROVAL_ENV's). */
export const GCP_APPROVAL_ENV = {
  /** Project of bare secret ids; Terraform passes full `projects/<p>/secrets/<s>` names, so it is rarely needed. */
  secretProject: 'GOOGLE_CLOUD_PROJECT',
  /** Secret Manager REST base URL (tests and the local cloud point it at a stand-in). */
  secretManagerEndpoint: 'PEERKEEPER_SECRET_MANAGER_ENDPOINT',
} as const;

/**
 * The Slack secrets from Secret Manager with the functions' service account (roles/secretmanager.secretAccessor
 * on the two secrets), read once per instance: Slack's 3 s budget has no room for a read per click.
 */
export function secretManagerSecrets(env: NodeJS.ProcessEnv): SecretSource {
  const endpoint = env[GCP_APPROVAL_ENV.secretManagerEndpoint];
  const project = env[GCP_APPROVAL_ENV.secretProject];
  return cachedSecrets(
    new SecretManagerSource({
      tokens: applicationDefaultCredentials(['https://www.googleapis.com/auth/cloud-platform']),
      ...(project ? { project } : {}),
      ...(endpoint ? { endpoint } : {}),
    }),
  );
}

/**
 * Approvals of the GCP deployment: approval objects and the audit log in the state bucket (objects
 * `approvals/<id>.json`, compare-and-set on the object generation), announced in Slack when the secrets are set.
 * `audit` is the runtime's own log, so decisions and the actions they lead to land in one place.
 */
export function gcpApprovalWiring(
  policy: Policy,
  env: NodeJS.ProcessEnv,
  log: RuntimeLog,
  gcs: GcsOptions,
  now: () => Date,
  options: {
    audit?: AuditLog;
    secrets?: SecretSource;
  } = {},
): ApprovalWiring {
  return new ApprovalWiring({
    policy,
    store: new GcsApprovalStore(gcs),
    audit: options.audit ?? new GcsAuditLog(gcs),
    env,
    log,
    now,
    secrets: options.secrets ?? secretManagerSecrets(env),
  });
}
