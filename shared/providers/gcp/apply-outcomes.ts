import type { ApplyOutcome } from '../port';

/** The three outcomes an applied action ends in, with what happened and the link's id where there is one. */
export const done = (detail: string, peeringId?: string): ApplyOutcome => ({
  status: 'done',
  detail,
  ...(peeringId ? { peeringId } : {}),
});
export const converged = (detail: string, peeringId?: string): ApplyOutcome => ({
  status: 'converged',
  detail,
  ...(peeringId ? { peeringId } : {}),
});
export const skipped = (detail: string): ApplyOutcome => ({ status: 'skipped', detail });
