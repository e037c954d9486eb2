import { WATCHED_EC2_CALLS } from '../../shared/events/aws';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../shared/events/aws/envelope';
import { WATCHED_VENDING_EVENTS } from '../../shared/events/aws/vending';
import { SWEEP_REQUESTED } from '../../shared/events/aws';

/** An EventBridge event pattern (JSON). */
export type EventPattern = Record<string, unknown>;

const API_CALL = 'AWS API Call via CloudTrail';
const SERVICE_EVENT = 'AWS Service Event via CloudTrail';

/**
 * EC2 calls the normalizer reads, and nothing else: the member accounts forward exactly these to the hub bus,
 * and the hub rule matches exactly these. Failed calls (errorCode present) are dropped at the rule:
 * the normalizer would ignore them anyway, and they are a large share of CloudTrail traffic.
 */
export function ec2Pattern(): EventPattern {
  if (!CLOUDTRAIL_DETAIL_TYPES.includes(API_CALL)) throw new Error(`the normalizer no longer reads "${API_CALL}"`);
  return {
    source: ['aws.ec2'],
    'detail-type': [API_CALL],
    detail: {
      eventSource: ['ec2.amazonaws.com'],
      eventName: [...WATCHED_EC2_CALLS].sort(),
      errorCode: [{ exists: false }],
    },
  };
}

/**
 * Control Tower and Organizations account vending (service events) and MoveAccount between OUs (an API call),
 * emitted in the management account (us-east-1).
 */
export function vendingPattern(): EventPattern {
  return {
    source: Object.keys(WATCHED_VENDING_EVENTS).sort(),
    'detail-type': [API_CALL, SERVICE_EVENT],
    detail: { eventName: Object.values(WATCHED_VENDING_EVENTS).flat().sort() },
  };
}

/** peerkeeper's own "re-check this scope" request (CLI, approvals, operators). */
export function sweepRequestedPattern(): EventPattern {
  return { source: [SWEEP_REQUESTED.source], 'detail-type': [SWEEP_REQUESTED.detailType] };
}
