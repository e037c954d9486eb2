/** AWS Organizations account states (the `State` field; `Status` was retired on 9 September 2026). */
export type OrgAccountState = 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';

export interface OrgAccountRecord {
  id: string;
  name: string;
  email: string;
  state: OrgAccountState;
  parentId: string;
  joinedMethod: 'CREATED' | 'INVITED';
  joinedAt: Date;
}

export interface OrgUnitRecord {
  id: string;
  name: string;
  parentId: string;
}

/** Thrown with the exception name Organizations answers with (`__type`) and HTTP 400. */
export class OrganizationsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'OrganizationsError';
  }
}

/**
 * One organization: a root, nested OUs and accounts, as AWS Organizations keeps them. Ids are spelled as
 * Organizations spells them (`o-` + 10, `r-` + 4, `ou-` + root suffix + `-` + 8, 12-digit accounts). OUs are
 * at most 5 levels deep below the root and never move; accounts move between parents.
 */
export class OrganizationState {
  readonly id = 'o-loc0000001';
  readonly rootId = 'r-loca';
  readonly ous = new Map<string, OrgUnitRecord>();
  readonly accounts = new Map<string, OrgAccountRecord>();
  private nextOu = 1;
  private nextAccount = 333_333_333_333;

  constructor(
    readonly managementAccount: string,
    private readonly clock: () => Date,
  ) {
    this.addAccount({ id: managementAccount, name: 'management', parentId: this.rootId });
  }

  /** Creates an OU under a root or OU (CreateOrganizationalUnit). */
  createOrganizationalUnit(parentId: string, name: string): OrgUnitRecord {
    this.requireParent(parentId);
    if (this.depth(parentId) >= 5)
      throw new OrganizationsError('ConstraintViolationException', 'You have exceeded the maximum depth of 5 OUs.');
    const id = `ou-${this.rootId.slice(2)}-${String(this.nextOu++).padStart(8, '0')}`;
    const ou = { id, name, parentId };
    this.ous.set(id, ou);
    return ou;
  }

  /** Seeds an existing account (no event): the estate before the story. */
  addAccount(input: {
    id: string;
    name: string;
    parentId: string;
    state?: OrgAccountState;
    joinedMethod?: 'CREATED' | 'INVITED';
  }): OrgAccountRecord {
    this.requireParent(input.parentId);
    const record: OrgAccountRecord = {
      id: input.id,
      name: input.name,
      email: `${input.name}@example.com`,
      state: input.state ?? 'ACTIVE',
      parentId: input.parentId,
      joinedMethod: input.joinedMethod ?? 'INVITED',
      joinedAt: this.clock(),
    };
    this.accounts.set(input.id, record);
    return record;
  }

  /** CreateAccount: the account is made at once (the real call is asynchronous; CreateAccountResult reports it) in the root. */
  createAccount(name: string, email: string, accountId?: string): OrgAccountRecord {
    // Ids are handed out in order, skipping any an existing (seeded) account already holds.
    while (accountId === undefined && this.accounts.has(String(this.nextAccount))) this.nextAccount++;
    const id = accountId ?? String(this.nextAccount++);
    if (this.accounts.has(id))
      throw new OrganizationsError('DuplicateAccountException', `Account ${id} already exists.`);
    const record = this.addAccount({ id, name, parentId: this.rootId, joinedMethod: 'CREATED' });
    record.email = email;
    return record;
  }

  /** MoveAccount: SourceParentId must be the account's current parent, as Organizations checks. */
  moveAccount(accountId: string, sourceParentId: string, destinationParentId: string): void {
    const account = this.account(accountId);
    this.requireParent(destinationParentId);
    if (account.parentId !== sourceParentId)
      throw new OrganizationsError(
        'SourceParentNotFoundException',
        `The source parent ${sourceParentId} does not hold account ${accountId}.`,
      );
    if (sourceParentId === destinationParentId)
      throw new OrganizationsError(
        'DuplicateAccountException',
        'That account is already present in the specified destination.',
      );
    account.parentId = destinationParentId;
  }

  /** Suspends or closes an account (CloseAccount, or AWS suspending it). */
  setState(accountId: string, state: OrgAccountState): void {
    this.account(accountId).state = state;
  }

  account(accountId: string): OrgAccountRecord {
    const found = this.accounts.get(accountId);
    if (!found)
      throw new OrganizationsError('AccountNotFoundException', "You specified an account that doesn't exist.");
    return found;
  }

  ou(id: string): OrgUnitRecord {
    const found = this.ous.get(id);
    if (!found)
      throw new OrganizationsError(
        'OrganizationalUnitNotFoundException',
        "We can't find an organizational unit (OU) with the OrganizationalUnitId that you specified.",
      );
    return found;
  }

  /** The OU with this path of names below the root (`Workloads/Prod`), if any. */
  ouByPath(path: string): OrgUnitRecord | undefined {
    let parent = this.rootId;
    let found: OrgUnitRecord | undefined;
    for (const name of path.split('/').filter((s) => s !== '')) {
      found = [...this.ous.values()].find((o) => o.parentId === parent && o.name === name);
      if (!found) return undefined;
      parent = found.id;
    }
    return found;
  }

  /** The parent of an account or OU (ListParents). */
  parentOf(childId: string): { Id: string; Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' } {
    const parentId = /^\d{12}$/.test(childId) ? this.account(childId).parentId : this.ou(childId).parentId;
    return { Id: parentId, Type: parentId === this.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' };
  }

  requireParent(parentId: string): void {
    if (parentId !== this.rootId && !this.ous.has(parentId))
      throw new OrganizationsError(
        'ParentNotFoundException',
        "We can't find a root or OU with the ParentId that you specified.",
      );
  }

  private depth(parentId: string): number {
    let depth = 0;
    for (let at = parentId; at !== this.rootId; at = this.ou(at).parentId) depth++;
    return depth;
  }
}
