import { TerminalError } from '../../errors';
import type { AttachmentAction } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { AwsConnections } from './connect';

/** Transit Gateway attachments (issue 17): not wired to the EC2 API yet. */
export async function applyAwsAttachment(
  _conn: AwsConnections,
  action: AttachmentAction,
  _ctx: ApplyContext,
): Promise<ApplyOutcome> {
  throw new TerminalError(`aws ${action.action} is not supported yet`, { code: 'NotSupported' });
}
