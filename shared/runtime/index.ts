/** The functions' composition roots: what every handler of a cloud builds once per cold start. */
export {
  AwsRuntime,
  loadPolicyFile,
  policyPath,
  type AwsRuntimeOverrides,
  type InvocationContext,
  type RuntimeLog,
  type RuntimeQueues,
} from './aws-runtime';
export { createAwsRuntime } from './aws';
export { createFanOutRuntime } from './fan-out';
export {
  OUTCOME_DETAIL_TYPES,
  OUTCOME_SOURCE,
  outcomeEvents,
  type OutcomeDetailType,
  type OutcomeEvent,
  type OutcomePublisher,
} from './outcome-events';
export { needsRetry, parseWorkMessage, reconcileCounts, WorkMessageSchema, type WorkMessage } from './work';
