import { TerminalError } from '../../errors';
import type { AttachmentAction } from '../../model';
import type { ApplyContext, ApplyOutcome } from '../port';
import type { MemoryCloud } from './cloud';

export function applyMemoryAttachment(
  _memory: MemoryCloud,
  action: AttachmentAction,
  _ctx: ApplyContext,
): ApplyOutcome {
  throw new TerminalError(`memory ${action.action} is not supported yet`, { code: 'NotSupported' });
}
