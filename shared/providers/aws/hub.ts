import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoAuditLog } from '../../stores/dynamodb';
import type { AuditLog } from '../../stores/ports';
import { EventBridgeOutcomePublisher, type OutcomeLog } from './outcomes';
import { HUB_ENV } from './hub-env';
import { SqsSender } from './queues';

export { HUB_ENV } from './hub-env';


/** The hub's own AWS services, built from the environment; absent pieces stay undefined. */
export interface HubServices {
  audit?: AuditLog;
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
  return {
    ...(auditTable ? { audit: new DynamoAuditLog({ client: new DynamoDBClient({ maxAttempts: 3 }), tableName: auditTable }) } : {}),
    ...(bus ? { outcomes: new EventBridgeOutcomePublisher({ eventBusName: bus, ...(log ? { log } : {}) }) } : {}),
    sqs: new SqsSender(),
  };
}
