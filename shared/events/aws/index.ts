import { z } from 'zod';
import { MalformedEventError } from '../../errors';
import { ScopeSchema, type Scope, type TriggerKind } from '../../model';
import { isOwnIdentity } from '../identity';
import { ignore, work, type NormalizeOptions, type NormalizeResult } from '../result';
import { parseShape } from '../shape';
import { scopeForEc2Call } from './ec2';
import {
  CLOUDTRAIL_DETAIL_TYPES,
  CloudTrailRecordSchema,
  EventBridgeEnvelopeSchema,
  type EventBridgeEnvelope,
} from './envelope';
import { scopeForVending } from './vending';

export { WATCHED_EC2_CALLS } from './ec2';

/** The source and detail-type of the event peerkeeper puts on its own bus to ask for a sweep of one scope. */
export const SWEEP_REQUESTED = { source: 'peerkeeper', detailType: 'Sweep Requested' } as const;

const SweepDetailSchema = z.looseObject({ scope: ScopeSchema });

/**
 * Turns one EventBridge event into a Trigger naming what to re-check, or a reason to ignore it.
 * Reads CloudTrail-sourced EC2 calls, Control Tower / Organizations account vending, EventBridge schedules and
 * peerkeeper's own `Sweep Requested` events. Throws MalformedEventError for anything it cannot read.
 */
export function normalizeAwsEvent(event: unknown, opts: NormalizeOptions): NormalizeResult {
  const envelope = parseShape(
    EventBridgeEnvelopeSchema,
    event,
    'AWS event',
    'expected an EventBridge event with id, source, detail-type and detail.',
  );
  const detailType = envelope['detail-type'];
  const base = { eventId: envelope.id, ...(envelope.time ? { at: envelope.time } : {}) };

  if (envelope.source === SWEEP_REQUESTED.source && detailType === SWEEP_REQUESTED.detailType) {
    const detail = parseShape(
      SweepDetailSchema,
      envelope.detail,
      `AWS ${SWEEP_REQUESTED.detailType} event ${envelope.id}`,
      'its detail must be { scope } with a valid Scope.',
      'detail.',
    );
    return work({ ...base, scope: detail.scope, kind: 'sweep', source: detailType }, 'AWS');
  }
  if (envelope.source === 'aws.events' && detailType === 'Scheduled Event') {
    return work({ ...base, scope: { kind: 'estate' }, kind: 'sweep', source: detailType }, 'AWS');
  }
  if (CLOUDTRAIL_DETAIL_TYPES.includes(detailType)) return normalizeCloudTrail(envelope);
  throw new MalformedEventError(
    `AWS event ${envelope.id} has detail-type "${detailType}" from ${envelope.source}, ` +
      'which peerkeeper does not read; check the EventBridge rule pattern.',
  );

  function normalizeCloudTrail(env: EventBridgeEnvelope): NormalizeResult {
    const record = parseShape(
      CloudTrailRecordSchema,
      env.detail,
      `AWS event ${env.id}`,
      'is this an EventBridge CloudTrail event? detail needs eventName and awsRegion.',
      'detail.',
    );
    const actor = record.userIdentity?.arn;
    const call = `${env.source.replace(/^aws\./, '')}:${record.eventName}`;
    if (record.errorCode) return ignore(`${call} failed (${record.errorCode})`, env.id);
    if (isOwnIdentity(actor, opts.identities))
      return ignore(`${call} was made by peerkeeper itself (${actor})`, env.id);

    const account = record.recipientAccountId || env.account;
    if (!account)
      throw new MalformedEventError(`AWS event ${env.id} names no account (detail.recipientAccountId or account).`);
    let outcome: { scope: Scope; kind: TriggerKind } | string;
    if (env.source === 'aws.ec2') {
      outcome = scopeForEc2Call(record, { account, region: record.awsRegion });
    } else if (env.source === 'aws.controltower' || env.source === 'aws.organizations') {
      const scope = scopeForVending(env.source, record);
      outcome = typeof scope === 'string' ? scope : { scope, kind: 'vending' };
    } else {
      outcome = `peerkeeper does not watch ${env.source} calls`;
    }
    if (typeof outcome === 'string') return ignore(outcome, env.id);
    return work(
      {
        ...outcome,
        eventId: env.id,
        source: record.eventName,
        ...(actor ? { actor } : {}),
        ...((record.eventTime ?? env.time) ? { at: record.eventTime ?? env.time } : {}),
      },
      'AWS',
    );
  }
}
