import type { Action } from '../../model';
import type { EstateIndex } from '../estate-index';
import { transitAdvice } from './advice';
import { hubViews } from './hubs';
import type { TransitPlanContext } from './links';
import { planTransitLinks } from './links';
import { planTransitRoutes } from './routes';

export { hubViews, isDeclaredHub, attachApprovalId, attachApprovalKeys } from './hubs';
export type { HubView } from './hubs';

/** Transit links (attachments and the spokes' routes toward their hubs) and the advice on when to move to one. */
export function planTransit(index: EstateIndex, ctx: TransitPlanContext): Action[] {
  const links = planTransitLinks(index, hubViews(index.policy, index.observation), ctx);
  return [...links.actions, ...planTransitRoutes(index, links.spokes), ...transitAdvice(index)];
}
