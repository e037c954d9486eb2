import type { Policy } from '../policy';
import { createHubServices } from '../providers/aws/hub';
import { HUB_ENV } from '../providers/aws/hub-env';
import { ApprovalWiring } from './approvals';
import type { RuntimeLog } from './aws-runtime';

/**
 * Approvals over the hub's DynamoDB approvals table and audit log, with the Slack secrets from SSM Parameter
 * Store. Undefined when serverless.yml did not configure the tables. For the functions that do not reconcile
 * (the sweep expires approvals), so their bundles leave out the EC2 client.
 */
export function awsApprovalWiring(policy: Policy, env: NodeJS.ProcessEnv, log: RuntimeLog): ApprovalWiring | undefined {
  if (!env[HUB_ENV.approvalsTable] || !env[HUB_ENV.auditTable]) return undefined;
  const hub = createHubServices(env);
  return hub.approvals && hub.audit
    ? new ApprovalWiring({
        policy,
        store: hub.approvals,
        audit: hub.audit,
        secrets: hub.secrets,
        env,
        log,
        now: () => new Date(),
      })
    : undefined;
}
