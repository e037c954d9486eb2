import {
  AwsRuntime,
  loadPolicyFile,
  policyPath,
  required,
  type AwsRuntimeOverrides,
  type RuntimeLog,
  type RuntimeQueues,
} from './aws-runtime';
import { createAwsProvider } from '../providers/aws';
import { createHubServices } from '../providers/aws/hub';
import { HUB_ENV } from '../providers/aws/hub-env';
import { ApprovalWiring } from './approvals';

// The runtime's types live in aws-runtime.ts (no SDK imports, so the fan-out bundles stay small); re-exported for callers of this module.
export {
  AwsRuntime,
  policyPath,
  loadPolicyFile,
  type AwsRuntimeOverrides,
  type InvocationContext,
  type RuntimeLog,
  type RuntimeQueues,
} from './aws-runtime';

const silent: RuntimeLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The composition root of the reconciling functions (network-event, sweep-worker): policy, the EC2 adapter,
 * audit log, outcome publisher and queues, built from the environment; tests replace any piece.
 */
export function createAwsRuntime(overrides: AwsRuntimeOverrides = {}): AwsRuntime {
  const env = overrides.env ?? process.env;
  const log = overrides.log ?? silent;
  const policy = overrides.policy ?? loadPolicyFile(policyPath(env));
  const wantApprovals = !overrides.approvals && !overrides.approvalWiring && env[HUB_ENV.approvalsTable];
  const needHub =
    !overrides.queues || !overrides.outcomes || (!overrides.audit && env[HUB_ENV.auditTable]) || wantApprovals;
  const hub = needHub ? createHubServices(env, log) : undefined;
  const queues: RuntimeQueues = overrides.queues ?? {
    sendWork: (messages) =>
      hub!.sqs.sendAll(
        required(env, HUB_ENV.workQueueUrl),
        messages.map((m) => ({ id: m.trigger.eventId, body: m })),
      ),
    deadLetter: (input, error) =>
      hub!.sqs.send(required(env, HUB_ENV.deadLetterUrl), {
        error: { name: error.name, message: error.message },
        input,
      }),
  };
  const audit = overrides.audit ?? hub?.audit;
  const now = overrides.now ?? (() => new Date());
  const approvalWiring =
    overrides.approvalWiring ??
    (wantApprovals && hub?.approvals && audit
      ? new ApprovalWiring({ policy, store: hub.approvals, audit, secrets: hub.secrets, env, log, now })
      : undefined);
  return new AwsRuntime(
    policy,
    overrides.providers ?? { aws: createAwsProvider(policy, env) },
    overrides.outcomes ?? hub?.outcomes,
    queues,
    {
      now,
      log,
      env,
      ...(audit ? { audit } : {}),
      ...(overrides.approvals ? { approvals: overrides.approvals } : {}),
      ...(approvalWiring ? { approvalWiring } : {}),
    },
  );
}
