export { reconcileScope, summarizeReconcile } from './reconcile';
export type { ReconcileDeps, ReconcileResult } from './reconcile';
export { executePlan, countWrites } from './execute';
export type { ActionResult, ExecuteDeps } from './execute';
export { partitionsFor, governedAccounts } from './partitions';
export { withDeclaredRequests } from './declared';
