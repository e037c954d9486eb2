import type { Cloud, Observation, OrganizationUnit, Scope, UnreadPartition } from '../model';

/** One account, subscription or project as organization discovery found it. */
export interface DiscoveredAccount {
  account: string;
  name?: string;
  /** ACTIVE account, Enabled subscription, ACTIVE project: only these are governed. */
  active: boolean;
  /** The cloud's own word for the state (SUSPENDED, Disabled, DELETE_REQUESTED…), for `validate --provider`. */
  state: string;
  /** Root first, nearest container last. */
  ancestors: OrganizationUnit[];
}

/** Where one cloud's organization is read from (AWS Organizations, Azure management groups, GCP Resource Manager). */
export interface OrganizationSource {
  /** Every account under the containers the policy selects, nested containers included, with its ancestry. */
  listSelected(): Promise<DiscoveredAccount[]>;
  /**
   * One account's place in a few calls (O(depth), not O(organization)); `null` = not in the organization.
   * Without it, the directory lists the selected containers instead.
   */
  lookup?(account: string): Promise<DiscoveredAccount | null>;
}

/**
 * Discovery results for a run, cached in the adapter. The sweep (and a cold start) lists the selected containers;
 * then an account event (vending, a move) looks that account up again and any other event looks up only its own
 * account when it is not known yet, so a warm event costs O(depth) discovery calls, not O(organization). `selects`
 * says whether an account lies under a container some group selects.
 */
export class OrganizationDirectory {
  private readonly known = new Map<string, DiscoveredAccount>();
  /** Accounts looked up and found outside the organization (or outside every selected container). */
  private readonly outside = new Set<string>();
  /** A full list completed: an account it did not return is outside every selected container. */
  private listed = false;

  constructor(
    /** The cloud whose organization this is: scopes of other clouds need nothing from it. */
    private readonly cloud: Cloud,
    private readonly source: OrganizationSource,
    private readonly selects: (account: DiscoveredAccount) => boolean,
    /** Azure subscription ids are case-insensitive. */
    private readonly key: (account: string) => string = (a) => a,
  ) {}

  /** Lists the selected containers again (the sweep, and the first use in a run without a lookup). */
  async refresh(): Promise<void> {
    const found = await this.source.listSelected();
    this.known.clear();
    this.outside.clear();
    for (const a of found) this.known.set(this.key(a.account), a);
    this.listed = true;
  }

  /** Re-reads one account's place: it was just vended, moved, suspended or closed. */
  async refreshAccount(account: string): Promise<void> {
    if (!this.source.lookup) return this.refresh();
    const found = await this.source.lookup(account);
    const k = this.key(account);
    this.known.delete(k);
    this.outside.delete(k);
    if (found) this.known.set(k, found);
    else this.outside.add(k);
  }

  /**
   * Makes sure the account's place is known, reading as little as the source allows. Without a lookup, an account
   * the cached list lacks triggers one more list (it may have been vended since), once per account per run.
   */
  async ensure(account: string): Promise<void> {
    const k = this.key(account);
    if (this.known.has(k) || this.outside.has(k)) return;
    if (this.source.lookup) return this.refreshAccount(account);
    if (!this.listed || !this.relisted.has(k)) {
      this.relisted.add(k);
      await this.refresh();
    }
    if (!this.known.has(k)) this.outside.add(k);
  }

  /** Accounts that made a list-only source list again (each at most once per run). */
  private readonly relisted = new Set<string>();

  /**
   * What a reconcile of this scope needs: the sweep lists everything, an account event re-reads its account, another
   * cloud's scope needs nothing. The first scoped reconcile of a run lists once too (a cold start): the far side of a
   * link or a request may be any governed account, and one not yet known would be judged as outside the organization.
   */
  async prepare(scope: Scope | undefined): Promise<void> {
    if (scope === undefined || scope.kind === 'estate') return this.refresh();
    if ((scope.kind === 'network' ? scope.network.cloud : scope.cloud) !== this.cloud) return;
    if (!this.listed) await this.refresh();
    const account = scope.kind === 'network' ? scope.network.account : scope.account;
    if (scope.kind === 'account') return this.refreshAccount(account);
    return this.ensure(account);
  }

  /** The governed accounts discovered so far: under a selected container and active. */
  governed(): DiscoveredAccount[] {
    return [...this.known.values()]
      .filter((a) => a.active && this.selects(a))
      .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  }

  /** Every account discovered so far, active or not (for `validate --provider`). */
  all(): DiscoveredAccount[] {
    return [...this.known.values()];
  }

  /** The account's ancestry: discovered, `[]` when it is known to lie outside every selected container, else undefined. */
  ancestry(account: string): OrganizationUnit[] | undefined {
    const k = this.key(account);
    const found = this.known.get(k);
    if (found) return found.ancestors;
    return this.outside.has(k) || this.listed ? [] : undefined;
  }

  /**
   * Gives every account of an observation its ancestry, looking up the ones not known yet. An account whose place
   * cannot be read becomes an unread partition: decisions about its networks are held, never made as if it had none.
   */
  async decorate(observation: Observation): Promise<Observation> {
    const cloud = this.cloud;
    const unread: UnreadPartition[] = [];
    const accounts = await Promise.all(
      observation.accounts.map(async (a) => {
        if (a.cloud !== cloud) return a;
        try {
          await this.ensure(a.account);
        } catch (error) {
          unread.push({
            cloud,
            account: a.account,
            reason: `organization lookup failed: ${error instanceof Error ? error.message : String(error)}`,
          });
          return a;
        }
        const ancestors = this.ancestry(a.account);
        return ancestors === undefined ? a : { ...a, ancestors };
      }),
    );
    if (unread.length === 0) return { ...observation, accounts };
    return {
      ...observation,
      accounts,
      complete: false,
      gaps: [...observation.gaps, ...unread.map((u) => `${cloud}: ${u.reason}`)],
      unread: [...(observation.unread ?? []), ...unread],
    };
  }
}
