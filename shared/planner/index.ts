export { planScope } from './plan';
export type { PlanInput } from './plan';
export { planPeeringRequest } from './request';
export type { RequestDecision, RequestContext, ApprovalState } from './request';
export { indexEstate, pairKey } from './estate-index';
export type { EstateIndex } from './estate-index';
export { desirePeerings } from './desired-peerings';
export { renderPlan, planHash, countChanges } from './render';
export { CLOUD_LIMITS, AWS_PENDING_EXPIRY_MS } from './limits';
