import { awsDiscoveryFor, discoveredAwsPartitions } from '../providers/aws/discovery';
import { HUB_ENV } from '../providers/aws/hub-env';
import { SqsSender } from '../providers/aws/queues';
import type { Policy } from '../policy';
import type { ApprovalWiring } from './approvals';
import { AwsRuntime, loadPolicyFile, policyPath, required, type RuntimeLog } from './aws-runtime';

/**
 * The composition root of the scheduled fan-out functions (sweep, pending-poll): policy and queues only.
 * They never call EC2, so their bundles leave out the EC2 client (~850 KB minified on its own).
 */
export function createFanOutRuntime(options: {
  env?: NodeJS.ProcessEnv;
  log: RuntimeLog;
  approvals?: (policy: Policy, env: NodeJS.ProcessEnv) => ApprovalWiring | undefined;
}): AwsRuntime {
  const env = options.env ?? process.env;
  const sqs = new SqsSender();
  const policy = loadPolicyFile(policyPath(env));
  const approvalWiring = options.approvals?.(policy, env);
  // OU groups: the fan-out lists the organization itself (Organizations only, no EC2 client in this bundle).
  const discovery = awsDiscoveryFor(policy, env);
  return new AwsRuntime(
    policy,
    {},
    undefined,
    {
      sendWork: (messages) =>
        sqs.sendAll(
          required(env, HUB_ENV.workQueueUrl),
          messages.map((m) => ({ id: m.trigger.eventId, body: m })),
        ),
      deadLetter: (input, error) =>
        sqs.send(required(env, HUB_ENV.deadLetterUrl), { error: { name: error.name, message: error.message }, input }),
    },
    {
      now: () => new Date(),
      log: options.log,
      env,
      ...(approvalWiring ? { approvalWiring } : {}),
      ...(discovery ? { discover: () => discoveredAwsPartitions(discovery) } : {}),
    },
  );
}
