import type { AttachmentAction } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { PeeringApplyDeps } from './apply';
import { createConnection, deleteConnection, updateConnection } from './apply-transit';

/**
 * Virtual WAN hub connections (issue 17). The hub's owner creates a connection and it is active once provisioned:
 * Azure has no attachment requests, so accept and reject change nothing.
 */
export async function applyAzureAttachment(
  deps: PeeringApplyDeps,
  action: AttachmentAction,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  switch (action.action) {
    case 'create-attachment':
      return createConnection(deps, action, ctx);
    case 'update-attachment':
      return updateConnection(deps, action, ctx);
    case 'delete-attachment':
      return deleteConnection(deps, action, ctx);
    case 'accept-attachment':
    case 'reject-attachment':
      return {
        status: 'skipped',
        detail: `Azure has no attachment requests: the hub's owner creates connections (${action.action} changes nothing)`,
      };
  }
}
