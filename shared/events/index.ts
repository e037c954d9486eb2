/** Event normalizers: raw cloud event → Trigger naming the scope to re-check (DESIGN §1, §6). */
export { ignore, work, type NormalizeOptions, type NormalizeResult } from './result';
export { isOwnIdentity } from './identity';
export { normalizeAwsEvent, SWEEP_REQUESTED, WATCHED_EC2_CALLS } from './aws';
export { normalizeAzureEvent, normalizeAzureEvents, subscriptionValidationCode, UNKNOWN_REGION } from './azure';
export { AUDIT_LOG_WRITTEN, cloudEventFromBinary, normalizeGcpEvent, type HttpHeaders } from './gcp';
