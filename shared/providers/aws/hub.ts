import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TerminalError } from '../../errors';
import { DynamoApprovalStore, DynamoAuditLog } from '../../stores/dynamodb';
import type { ApprovalStore, AuditLog } from '../../stores/ports';
import { cachedSecrets, type SecretSource } from '../secrets';
import { SsmSecretSource } from './secrets';
import { EventBridgeOutcomePublisher, type OutcomeLog } from './outcomes';
import { HUB_ENV } from './hub-env';
import { SqsSender } from './queues';

export { HUB_ENV } from './hub-env';

/** PEERKEEPER_AUDIT_RETENTION_DAYS, checked at cold start: a typo must not silently keep (or drop) the audit trail. */
function auditRetention(env: NodeJS.ProcessEnv): { retentionDays?: number } {
  const raw = env[HUB_ENV.auditRetentionDays]?.trim();
  if (!raw) return {};
  if (!/^[1-9][0-9]{0,4}$/.test(raw))
    throw new TerminalError(
      `${HUB_ENV.auditRetentionDays}=${raw}: expected a whole number of days (1–99999), or unset to keep entries forever`,
    );
  return { retentionDays: Number(raw) };
}

/** The hub's own AWS services, built from the environment; absent pieces stay undefined. */
export interface HubServices {
  audit?: AuditLog;
  /** The approvals table, when PEERKEEPER_APPROVALS_TABLE is set. */
  approvals?: ApprovalStore;
  /** SSM Parameter Store, cached per cold start (the Slack secrets). */
  secrets: SecretSource;
  outcomes?: EventBridgeOutcomePublisher;
  sqs: SqsSender;
}

/**
 * SDK clients for the hub account's own tables, bus and queues. They use the function's credentials and
 * region; AWS_ENDPOINT_URL_DYNAMODB / _EVENTBRIDGE / _SQS point them at local stand-ins (the SDK reads those itself).
 */
export function createHubServices(env: NodeJS.ProcessEnv, log?: OutcomeLog): HubServices {
  const auditTable = env[HUB_ENV.auditTable];
  const bus = env[HUB_ENV.eventBus];
  const approvalsTable = env[HUB_ENV.approvalsTable];
  const dynamo = auditTable || approvalsTable ? new DynamoDBClient({ maxAttempts: 3 }) : undefined;
  return {
    ...(auditTable
      ? { audit: new DynamoAuditLog({ client: dynamo!, tableName: auditTable, ...auditRetention(env) }) }
      : {}),
    ...(approvalsTable ? { approvals: new DynamoApprovalStore({ client: dynamo!, tableName: approvalsTable }) } : {}),
    secrets: cachedSecrets(new SsmSecretSource()),
    ...(bus ? { outcomes: new EventBridgeOutcomePublisher({ eventBusName: bus, ...(log ? { log } : {}) }) } : {}),
    sqs: new SqsSender(),
  };
}
