import { z } from 'zod';
import type { Scope, TriggerKind } from '../../model';

/** The EventBridge envelope every AWS event arrives in. */
export const EventBridgeEnvelopeSchema = z.looseObject({
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  /** The account the event came from; CloudTrail's recipientAccountId is preferred when present. */
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  detail: z.unknown().optional(),
});
export type EventBridgeEnvelope = z.infer<typeof EventBridgeEnvelopeSchema>;

/** The CloudTrail record carried in `detail` of "AWS API Call via CloudTrail" / "AWS Service Event via CloudTrail". */
export const CloudTrailRecordSchema = z.looseObject({
  eventName: z.string().min(1),
  eventSource: z.string().optional(),
  awsRegion: z.string().min(1),
  eventTime: z.string().optional(),
  recipientAccountId: z.string().optional(),
  /** Present only when the call failed (e.g. `Client.InvalidRouteTableID.NotFound`). */
  errorCode: z.string().nullish(),
  userIdentity: z.looseObject({ arn: z.string().optional() }).nullish(),
  requestParameters: z.unknown().optional(),
  responseElements: z.unknown().optional(),
  serviceEventDetails: z.unknown().optional(),
});
export type CloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;

/** EventBridge detail-types peerkeeper reads CloudTrail records from. */
export const CLOUDTRAIL_DETAIL_TYPES: readonly string[] = [
  'AWS API Call via CloudTrail',
  'AWS Service Event via CloudTrail',
];

/** Where a CloudTrail record happened: the account and region every scope is built on. */
export interface CallSite {
  account: string;
  region: string;
}

/** What an EC2 call asks peerkeeper to re-check. */
export interface Ec2Work {
  scope: Scope;
  kind: TriggerKind;
}
