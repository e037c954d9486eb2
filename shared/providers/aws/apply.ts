import { ConvergedError, StaleActionError, TerminalError } from '../../errors';
import type { Action } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { AwsConnections } from './connect';
import { acceptPeering, createPeering, deletePeering, rejectPeering, updatePeering } from './applyPeering';
import { createRoute, deleteRoute, replaceRoute } from './applyRoute';
import { applyAwsAttachment } from './applyAttachment';

/**
 * Performs one planned action against AWS. Each handler re-checks its precondition first; the typed
 * outcomes of "already so" (ConvergedError) and "no longer applies" (StaleActionError) become
 * `converged` and `skipped`; retryable and terminal errors propagate typed.
 */
export async function applyAwsAction(conn: AwsConnections, action: Action, ctx: ApplyContext): Promise<ApplyOutcome> {
  if (action.cloud !== 'aws')
    throw new TerminalError(`aws adapter cannot apply a ${action.cloud} action (${action.action})`);
  try {
    switch (action.action) {
      case 'create-peering':
        return await createPeering(conn, action, ctx);
      case 'accept-peering':
        return await acceptPeering(conn, action, ctx);
      case 'reject-peering':
        return await rejectPeering(conn, action, ctx);
      case 'delete-peering':
        return await deletePeering(conn, action, ctx);
      case 'update-peering':
        return await updatePeering(conn, action, ctx);
      case 'create-route':
        return await createRoute(conn, action, ctx);
      case 'replace-route':
        return await replaceRoute(conn, action, ctx);
      case 'delete-route':
        return await deleteRoute(conn, action, ctx);
      case 'create-attachment':
      case 'accept-attachment':
      case 'reject-attachment':
      case 'update-attachment':
      case 'delete-attachment':
        return await applyAwsAttachment(conn, action, ctx);
      case 'request-approval':
      case 'report':
        return { status: 'skipped', detail: `${action.action} is not a cloud call` };
    }
  } catch (error) {
    if (error instanceof ConvergedError) return { status: 'converged', detail: error.message };
    if (error instanceof StaleActionError) return { status: 'skipped', detail: error.message };
    throw error;
  }
}
