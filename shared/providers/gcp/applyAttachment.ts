import { TerminalError } from '../../errors';
import type { AttachmentAction } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { ComputeClient } from './client';

/** NCC spokes (issue 17): not wired to the Network Connectivity API yet. */
export async function applyGcpAttachment(
  _client: ComputeClient,
  action: AttachmentAction,
  _ctx: ApplyContext,
): Promise<ApplyOutcome> {
  throw new TerminalError(`gcp ${action.action} is not supported yet`, { code: 'NotSupported' });
}
