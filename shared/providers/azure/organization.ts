import type { OrganizationUnit } from '../../model';
import { normalizeManagementGroup } from '../../policy/organization';
import type { DiscoveredAccount, OrganizationSource } from '../organization-directory';
import { type ArmClient, MANAGEMENT_GROUPS_API_VERSION, SUBSCRIPTIONS_API_VERSION } from './connect';

/** Subscription states that still run workloads (Warned and PastDue are billing warnings); Disabled, Expired, Deleted do not. */
const ACTIVE_STATES = new Set(['enabled', 'warned', 'pastdue']);

interface Descendant {
  id?: unknown;
  name?: unknown;
  properties?: { displayName?: unknown; parent?: { id?: unknown } };
}

/** A management group's name from its id (`/providers/Microsoft.Management/managementGroups/{name}`). */
const mgName = (id: string): string => normalizeManagementGroup(id);

/**
 * Azure management groups as an organization source: `managementGroups/{mg}/descendants` lists every nested
 * management group and subscription under each selected group in one paged call, with each item's parent, so
 * a subscription's chain of groups is rebuilt without a call per level. A subscription is recognised by its id
 * (`/subscriptions/…`), not by `type`: ARM documents the type as `/subscriptions`, and older API versions spelled
 * it `Microsoft.Management/managementGroups/subscriptions`.
 */
export class AzureManagementGroupSource implements OrganizationSource {
  constructor(
    private readonly client: ArmClient,
    private readonly roots: readonly string[],
  ) {}

  async listSelected(): Promise<DiscoveredAccount[]> {
    const deadline = this.client.clock() + 60_000;
    const states = await this.subscriptionStates(deadline);
    const found = new Map<string, DiscoveredAccount>();
    for (const root of this.roots) {
      const path = `/providers/Microsoft.Management/managementGroups/${encodeURIComponent(root)}/descendants?api-version=${MANAGEMENT_GROUPS_API_VERSION}`;
      const list = await this.client.listAll(path, deadline);
      if (list.error) throw list.error;
      const items = list.items as Descendant[];
      const parentOf = new Map<string, string>();
      const display = new Map<string, string>();
      for (const item of items) {
        if (typeof item.id !== 'string') continue;
        const key = item.id.toLowerCase();
        if (typeof item.properties?.parent?.id === 'string') parentOf.set(key, item.properties.parent.id.toLowerCase());
        if (typeof item.properties?.displayName === 'string') display.set(key, item.properties.displayName);
      }
      const rootId = `/providers/microsoft.management/managementgroups/${root.toLowerCase()}`;
      for (const item of items) {
        if (typeof item.id !== 'string' || !/^\/subscriptions\/[^/]+$/i.test(item.id)) continue;
        const subscription = item.id.split('/')[2]!.toLowerCase();
        const chain: OrganizationUnit[] = [];
        // Walk up to the selected group; a management group hierarchy is at most 6 levels below the root group.
        for (
          let at = parentOf.get(item.id.toLowerCase()), depth = 0;
          at !== undefined && depth < 8;
          at = at === rootId ? undefined : parentOf.get(at), depth++
        ) {
          const name = display.get(at);
          chain.unshift({ id: mgName(at), ...(name ? { name } : {}) });
        }
        const state = states.get(subscription) ?? 'NotVisible';
        const entry: DiscoveredAccount = {
          account: subscription,
          active: ACTIVE_STATES.has(state.toLowerCase()),
          state,
          ancestors: chain,
          ...(typeof item.properties?.displayName === 'string' ? { name: item.properties.displayName } : {}),
        };
        const known = found.get(subscription);
        // Nested selections list a subscription twice: the longer chain (from the higher group) holds the shorter.
        if (!known || known.ancestors.length < chain.length) found.set(subscription, entry);
      }
    }
    return [...found.values()];
  }

  /**
   * Every subscription's state, from one paged list: a subscription the identity cannot see is not governed
   * (it could not be observed either).
   */
  private async subscriptionStates(deadline: number): Promise<Map<string, string>> {
    const list = await this.client.listAll(`/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`, deadline);
    if (list.error) throw list.error;
    const out = new Map<string, string>();
    for (const item of list.items as { subscriptionId?: unknown; state?: unknown }[]) {
      if (typeof item.subscriptionId === 'string')
        out.set(item.subscriptionId.toLowerCase(), typeof item.state === 'string' ? item.state : 'Unknown');
    }
    return out;
  }
}
