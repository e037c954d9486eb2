import { ArmError } from './armError';
import { type Answer, type Exchange, type HandlerContext, page, stringField } from './exchange';
import type { SubscriptionRecord } from './records';

const MG = '/providers/Microsoft.Management/managementGroups';

/**
 * `managementGroups/{mg}/descendants`: every management group and subscription below `mg`, nested ones included,
 * each with its parent. As ARM documents DescendantInfo, a subscription's `type` is `/subscriptions` and a group's
 * `Microsoft.Management/managementGroups`; clients tell them apart by the id prefix.
 */
export function listDescendants(ex: Exchange, ctx: HandlerContext): Answer {
  const mg = ex.params.mg!;
  const known = ctx.state.managementGroups.get(mg.toLowerCase());
  // Seeded subscriptions may name a group nobody created: it then stands alone under the root, as a leaf.
  if (
    !known &&
    ![...ctx.state.subscriptions.values()].some((s) => s.managementGroup?.toLowerCase() === mg.toLowerCase())
  ) {
    throw new ArmError(404, 'NotFound', `Management group '${mg}' not found.`);
  }
  const groups = ctx.state.managementGroupsUnder(mg);
  const names = new Set([mg.toLowerCase(), ...groups.map((g) => g.name.toLowerCase())]);
  const subs = [...ctx.state.subscriptions.values()].filter(
    (s) => s.managementGroup !== undefined && names.has(s.managementGroup.toLowerCase()),
  );
  return page(
    [
      ...groups.map((g) => ({
        id: `${MG}/${g.name}`,
        type: 'Microsoft.Management/managementGroups',
        name: g.name,
        properties: { displayName: g.displayName, parent: { id: `${MG}/${g.parent!}` } },
      })),
      ...subs.map((s) => ({
        id: `/subscriptions/${s.subscriptionId}`,
        type: '/subscriptions',
        name: s.subscriptionId,
        properties: { displayName: s.displayName, parent: { id: `${MG}/${s.managementGroup!}` } },
      })),
    ],
    ex,
    ctx,
  );
}

function underGroup(sub: SubscriptionRecord, mg: string, tenant: string): Record<string, unknown> {
  return {
    id: `${MG}/${mg}/subscriptions/${sub.subscriptionId}`,
    type: 'Microsoft.Management/managementGroups/subscriptions',
    name: sub.subscriptionId,
    properties: { tenant, displayName: sub.displayName, parent: { id: `${MG}/${mg}` }, state: sub.state ?? 'Enabled' },
  };
}

/** PUT `managementGroups/{mg}/subscriptions/{s}`: moves the subscription under `mg` (Event Grid: `…/subscriptions/write`). */
export function putManagementGroupSubscription(ex: Exchange, ctx: HandlerContext): Answer {
  const mg = ctx.state.managementGroups.get(ex.params.mg!.toLowerCase());
  if (!mg) throw new ArmError(404, 'NotFound', `Management group '${ex.params.mg!}' not found.`);
  const sub = ctx.state.subscription(ex.params.s!);
  sub.managementGroup = mg.name;
  return {
    status: 200,
    body: underGroup(sub, mg.name, ctx.state.tenantId),
    change: {
      kind: 'write',
      resourceUri: `${MG}/${mg.name}/subscriptions/${sub.subscriptionId}`,
      operationName: 'Microsoft.Management/managementGroups/subscriptions/write',
      subscriptionId: sub.subscriptionId,
    },
  };
}

/**
 * PUT `/providers/Microsoft.Subscription/aliases/{alias}`: vends a subscription (placed under
 * `additionalProperties.managementGroupId` when given) and answers with its id, as the Aliases API does.
 */
export function putAlias(ex: Exchange, ctx: HandlerContext): Answer {
  const props = (ex.body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  const subscriptionId = typeof props.subscriptionId === 'string' ? props.subscriptionId : undefined;
  if (!subscriptionId)
    throw new ArmError(400, 'InvalidRequestContent', 'The emulator vends only aliases that name their subscriptionId.');
  const extra = props.additionalProperties as { managementGroupId?: unknown } | undefined;
  const mgId = typeof extra?.managementGroupId === 'string' ? extra.managementGroupId.split('/').at(-1)! : undefined;
  if (mgId && !ctx.state.managementGroups.has(mgId.toLowerCase()))
    throw new ArmError(404, 'NotFound', `Management group '${mgId}' not found.`);
  const displayName = stringField(props, 'displayName') ?? ex.params.alias!;
  ctx.state.createSubscription(subscriptionId, {
    displayName,
    ...(mgId ? { managementGroup: ctx.state.managementGroups.get(mgId.toLowerCase())!.name } : {}),
  });
  const id = `/providers/Microsoft.Subscription/aliases/${ex.params.alias!}`;
  return {
    status: 201,
    body: {
      id,
      name: ex.params.alias!,
      type: 'Microsoft.Subscription/aliases',
      properties: { subscriptionId, provisioningState: 'Succeeded' },
    },
    change: { kind: 'write', resourceUri: id, operationName: 'Microsoft.Subscription/aliases/write', subscriptionId },
  };
}
