import { startAwsEmulator, type AwsEmulator } from '../../../infra/local/aws';
import { PeerkeeperError } from '../../../shared/errors';
import { AWS_ORGANIZATION_PERMISSIONS, AwsOrganizationSource } from '../../../shared/providers/aws';
import { OrganizationDirectory } from '../../../shared/providers/organization-directory';
import type { ContainerSelection } from '../../../shared/policy';
import { testClock } from '../../support/clock';

const MANAGEMENT = '111111111111';
const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };
const FAST = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

/**
 * Organization discovery through the real @aws-sdk/client-organizations against the emulator's JSON 1.1 API:
 * nested OUs, pages of 20, ACTIVE only, ListParents for one account, and the commands it declares.
 */
describe('AwsOrganizationSource through the Organizations emulator', () => {
  let emu: AwsEmulator;
  const ids = { workloads: '', prod: '', sandbox: '' };
  const sent: string[] = [];
  const source = (
    selection: ContainerSelection,
    onCommand = (c: string) => {
      sent.push(c);
    },
  ) => new AwsOrganizationSource(selection, { endpoint: emu.url, credentials: STATIC, onCommand, backoff: FAST });

  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: MANAGEMENT, now: testClock().now });
    const org = emu.organization;
    ids.workloads = org.createOrganizationalUnit(org.rootId, 'Workloads').id;
    ids.prod = org.createOrganizationalUnit(ids.workloads, 'Prod').id;
    ids.sandbox = org.createOrganizationalUnit(org.rootId, 'Sandbox').id;
    org.addAccount({ id: '333333333333', name: 'payments', parentId: ids.prod });
    org.addAccount({ id: '444444444444', name: 'shared', parentId: ids.workloads });
    org.addAccount({ id: '555555555555', name: 'old', parentId: ids.prod, state: 'SUSPENDED' });
    org.addAccount({ id: '666666666666', name: 'lab', parentId: ids.sandbox });
    // 25 more in Prod: ListAccountsForParent answers 20 per page, so discovery must follow NextToken.
    for (let i = 0; i < 25; i++)
      org.addAccount({ id: String(700_000_000_000 + i), name: `bulk-${i}`, parentId: ids.prod });
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    sent.length = 0;
    emu.faults.clear();
  });

  const cases: Record<
    string,
    { reason: string; selection: () => ContainerSelection; governed: (all: string[]) => boolean; excluded: string[] }
  > = {
    'an OU path': {
      reason: 'Workloads selects its nested Prod OU too',
      selection: () => ({ ids: [], paths: ['Workloads'] }),
      governed: (a) => a.includes('333333333333') && a.includes('444444444444') && a.length === 27,
      excluded: ['555555555555', '666666666666', MANAGEMENT],
    },
    'a nested OU id': {
      reason: 'an ou-… id selects that OU and below, not its parent',
      selection: () => ({ ids: [ids.prod], paths: [] }),
      governed: (a) => a.includes('333333333333') && a.length === 26,
      excluded: ['444444444444', '555555555555', '666666666666'],
    },
    'a nested OU path': {
      reason: 'paths are by name below the root',
      selection: () => ({ ids: [], paths: ['Workloads/Prod'] }),
      governed: (a) => a.length === 26,
      excluded: ['444444444444'],
    },
    'the root': {
      reason: 'r-… selects the whole organization',
      selection: () => ({ ids: [emu.organization.rootId], paths: [] }),
      governed: (a) => a.includes(MANAGEMENT) && a.includes('666666666666') && a.length === 29,
      excluded: ['555555555555'],
    },
  };

  it.each(Object.entries(cases))(
    'governs the ACTIVE accounts of %s',
    async (_name, { selection, governed, excluded }) => {
      const s = source(selection());
      const directory = new OrganizationDirectory('aws', s, (a) => s.selected(a.ancestors));
      await directory.refresh();
      const accounts = directory.governed().map((a) => a.account);
      expect(governed(accounts)).toBe(true);
      for (const account of excluded) expect(accounts).not.toContain(account);
    },
  );

  it('reads a suspended account as not active, with its state', async () => {
    const s = source({ ids: [ids.prod], paths: [] });
    const found = (await s.listSelected()).find((a) => a.account === '555555555555');
    expect(found).toMatchObject({ active: false, state: 'SUSPENDED' });
  });

  it('looks one account up with DescribeAccount and ListParents, root first', async () => {
    const found = await source({ ids: [], paths: ['Workloads'] }).lookup('333333333333');
    expect(found?.ancestors).toEqual([
      { id: emu.organization.rootId, name: 'Root' },
      { id: ids.workloads, name: 'Workloads' },
      { id: ids.prod, name: 'Prod' },
    ]);
    expect(sent.filter((c) => c === 'ListParents')).toHaveLength(3);
    expect(await source({ ids: [], paths: [] }).lookup('987654321098')).toBeNull();
  });

  it('re-reads a moved account: it leaves the selected OU and stops being governed', async () => {
    const s = source({ ids: [], paths: ['Workloads'] });
    const directory = new OrganizationDirectory('aws', s, (a) => s.selected(a.ancestors));
    await directory.refresh();
    expect(directory.governed().map((a) => a.account)).toContain('444444444444');
    emu.organization.moveAccount('444444444444', ids.workloads, ids.sandbox);
    try {
      sent.length = 0;
      await directory.prepare({ kind: 'account', cloud: 'aws', account: '444444444444' });
      expect(directory.governed().map((a) => a.account)).not.toContain('444444444444');
      // OUs never move: the walk cached Sandbox's place, so a move costs DescribeAccount + one ListParents.
      expect(sent).toEqual(['DescribeAccount', 'ListParents']);
    } finally {
      emu.organization.moveAccount('444444444444', ids.sandbox, ids.workloads);
    }
  });

  it('lists once on a cold start even for a scoped event, so every governed far side is known; then reads only one account', async () => {
    const s = source({ ids: [], paths: ['Workloads'] });
    const directory = new OrganizationDirectory('aws', s, (a) => s.selected(a.ancestors));
    await directory.prepare({
      kind: 'route-table',
      cloud: 'aws',
      account: '333333333333',
      region: 'us-east-1',
      routeTableId: 'rtb-1',
    });
    expect(directory.governed().map((a) => a.account)).toContain('444444444444');
    sent.length = 0;
    await directory.prepare({
      kind: 'network',
      network: { cloud: 'aws', account: '987654321098', region: 'us-east-1', id: 'vpc-1' },
    });
    expect(sent).toEqual(['DescribeAccount']);
    await directory.prepare({
      kind: 'network',
      network: { cloud: 'azure', account: '444444444444', region: '*', id: 'x' },
    });
    expect(sent).toEqual(['DescribeAccount']);
  });

  it('fails as a whole when a page fails (a gap, never a smaller organization)', async () => {
    emu.faults.serverError({ action: 'ListAccountsForParent', skip: 1 });
    await expect(source({ ids: [], paths: ['Workloads'] }).listSelected()).rejects.toBeInstanceOf(PeerkeeperError);
  });

  it('sends only the commands AWS_ORGANIZATION_PERMISSIONS declares', async () => {
    const s = source({ ids: [], paths: ['Workloads'] });
    await s.listSelected();
    await s.lookup('333333333333');
    await source({ ids: [], paths: [] }).lookup('333333333333');
    const declared = new Set(
      Object.values(AWS_ORGANIZATION_PERMISSIONS)
        .flat()
        .map((a) => a.replace('organizations:', '')),
    );
    expect([...new Set(sent)].filter((c) => !declared.has(c))).toEqual([]);
  });
});
