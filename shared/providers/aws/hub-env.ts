// No SDK imports here: the light fan-out runtime reads these names too.
/** Environment variables the hub functions read (serverless.yml sets them). */
export const HUB_ENV = {
  policyFile: 'PEERKEEPER_POLICY_FILE',
  eventBus: 'PEERKEEPER_EVENT_BUS',
  auditTable: 'PEERKEEPER_AUDIT_TABLE',
  /** Days an audit entry is kept (DynamoDB TTL); unset or empty keeps entries forever. */
  auditRetentionDays: 'PEERKEEPER_AUDIT_RETENTION_DAYS',
  approvalsTable: 'PEERKEEPER_APPROVALS_TABLE',
  idempotencyTable: 'PEERKEEPER_IDEMPOTENCY_TABLE',
  workQueueUrl: 'PEERKEEPER_WORK_QUEUE_URL',
  deadLetterUrl: 'PEERKEEPER_DEAD_LETTER_URL',
  functionRoleArn: 'PEERKEEPER_FUNCTION_ROLE_ARN',
  identities: 'PEERKEEPER_IDENTITIES',
} as const;
