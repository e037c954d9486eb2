import { TerminalError } from '../../errors';
import type { AttachmentAction } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { ArmClient } from './connect';

/** Virtual WAN hub connections (issue 17): not wired to ARM yet. */
export async function applyAzureAttachment(
  _client: ArmClient,
  action: AttachmentAction,
  _ctx: ApplyContext,
): Promise<ApplyOutcome> {
  throw new TerminalError(`azure ${action.action} is not supported yet`, { code: 'NotSupported' });
}
