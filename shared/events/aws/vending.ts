import { MalformedEventError } from '../../errors';
import type { Scope } from '../../model';
import { asRecord } from '../shape';
import type { CloudTrailRecord } from './envelope';

/**
 * The account of a vending or move event (Control Tower `CreateManagedAccount`, Organizations `CreateAccountResult`
 * and `MoveAccount` between OUs), or the reason there is nothing to do (a string). Only SUCCEEDED states produce work: a FAILED or IN_PROGRESS
 * account has no networks to peer yet, and Control Tower emits a second event when it finishes.
 */
export function scopeForVending(source: string, record: CloudTrailRecord): Scope | string {
  const details = asRecord(record.serviceEventDetails);
  if (source === 'aws.controltower') {
    if (record.eventName !== 'CreateManagedAccount')
      return `peerkeeper does not watch controltower:${record.eventName}`;
    const status = asRecord(details?.['createManagedAccountStatus']);
    if (!status) throw missing(record.eventName, 'serviceEventDetails.createManagedAccountStatus');
    if (status['state'] !== 'SUCCEEDED') return `account vending did not succeed (state ${String(status['state'])})`;
    return accountScope(
      record.eventName,
      asRecord(status['account'])?.['accountId'],
      'createManagedAccountStatus.account.accountId',
    );
  }
  if (record.eventName === 'MoveAccount') {
    // An API call (not a service event): the account changed OU, so it may have joined or left a governed group.
    const params = asRecord(record.requestParameters);
    return accountScope(record.eventName, params?.['accountId'], 'requestParameters.accountId', 'requestParameters');
  }
  if (record.eventName !== 'CreateAccountResult') return `peerkeeper does not watch organizations:${record.eventName}`;
  const status = asRecord(details?.['createAccountStatus']);
  if (!status) throw missing(record.eventName, 'serviceEventDetails.createAccountStatus');
  if (status['state'] !== 'SUCCEEDED') return `account vending did not succeed (state ${String(status['state'])})`;
  return accountScope(record.eventName, status['accountId'], 'createAccountStatus.accountId');
}

function accountScope(eventName: string, accountId: unknown, field: string, under = 'serviceEventDetails'): Scope {
  if (typeof accountId !== 'string' || accountId.length === 0)
    throw missing(eventName, `${under}.${field.replace(/^requestParameters\./, '')}`);
  return { kind: 'account', cloud: 'aws', account: accountId };
}

function missing(eventName: string, field: string): MalformedEventError {
  return new MalformedEventError(
    `AWS ${eventName} event has no ${field}; is this the service event CloudTrail records?`,
  );
}

/** The account-vending and move calls that produce work, by EventBridge source (the EventBridge rule patterns are built from this). */
export const WATCHED_VENDING_EVENTS: Readonly<Record<'aws.controltower' | 'aws.organizations', readonly string[]>> = {
  'aws.controltower': ['CreateManagedAccount'],
  'aws.organizations': ['CreateAccountResult', 'MoveAccount'],
};
