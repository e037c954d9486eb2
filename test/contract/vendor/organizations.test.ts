import * as organizations from '@aws-sdk/client-organizations';
import { startAwsEmulator, type AwsEmulator } from '../../../infra/local/aws';
import { testClock } from '../../support/clock';

/**
 * The Organizations emulator's JSON answers checked against AWS's own model, as @aws-sdk/client-organizations ships it
 * (`Name$` Smithy schemas: `[3, namespace, name, traits, memberNames, memberSchemas]`; 0 string, 1 number, 4–7
 * timestamps, +64 a list): every key the emulator writes is a member of the shape, with a value of the member's
 * kind. The SDK would silently drop an unknown key, so emulator and adapter could agree on a mistake without this.
 */
type Schema = unknown;
const deref = (s: Schema): Schema => (typeof s === 'function' ? (s as () => Schema)() : s);
const schemaOf = (name: string): Schema => (organizations as unknown as Record<string, Schema>)[`${name}$`];

/** A member is a bare simple type (a number) or `[schema, traits]`. */
const memberSchema = (m: Schema): Schema => (Array.isArray(m) && m.length === 2 ? m[0] : m);

function check(value: unknown, schema: Schema, at: string, out: string[]): void {
  const s = deref(schema);
  if (typeof s === 'number') {
    if (s >= 64) {
      if (!Array.isArray(value)) out.push(`${at}: not a list`);
      else value.forEach((v, i) => check(v, s & 63, `${at}[${i}]`, out));
      return;
    }
    if (s === 0 && typeof value !== 'string') out.push(`${at}: not a string`);
    if (s >= 4 && s <= 7 && typeof value !== 'number') out.push(`${at}: a timestamp is epoch seconds in JSON 1.1`);
    return;
  }
  if (!Array.isArray(s)) return;
  if (s[0] === 1) {
    // a list: [1, namespace, name, traits, member]
    if (!Array.isArray(value)) out.push(`${at}: not a list`);
    else value.forEach((v, i) => check(v, memberSchema(s[4]), `${at}[${i}]`, out));
    return;
  }
  if (s[0] !== 3) return;
  const names = s[4] as string[];
  const members = s[5] as Schema[];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push(`${at}: not an object`);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const i = names.indexOf(key);
    if (i < 0) out.push(`${at}.${key}: not in ${String(s[2])} (${names.join(', ')})`);
    else check(v, memberSchema(members[i]), `${at}.${key}`, out);
  }
}

describe('Organizations emulator against the SDK model', () => {
  let emu: AwsEmulator;
  const ids = { ou: '', account: '333333333333' };
  const call = async (operation: string, input: object) => {
    const res = await fetch(emu.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSOrganizationsV20161128.${operation}`,
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAHUBSTATIC0000000/20261206/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: '111111111111', now: testClock().now });
    ids.ou = emu.organization.createOrganizationalUnit(emu.organization.rootId, 'Workloads').id;
    emu.organization.addAccount({ id: ids.account, name: 'checkout', parentId: ids.ou });
  });
  afterAll(() => emu.close());

  it.each([
    ['ListRoots', {}],
    ['ListOrganizationalUnitsForParent', () => ({ ParentId: emu.organization.rootId })],
    ['ListAccountsForParent', () => ({ ParentId: ids.ou })],
    ['ListChildren', () => ({ ParentId: ids.ou, ChildType: 'ACCOUNT' })],
    ['ListParents', () => ({ ChildId: ids.account })],
    ['DescribeAccount', () => ({ AccountId: ids.account })],
    ['DescribeOrganizationalUnit', () => ({ OrganizationalUnitId: ids.ou })],
    ['CreateAccount', { AccountName: 'vended', Email: 'vended@example.com' }],
  ] as [string, object | (() => object)][])(
    '%s answers only members of its response shape',
    async (operation, input) => {
      const { status, body } = await call(operation, typeof input === 'function' ? input() : input);
      expect(status).toBe(200);
      const problems: string[] = [];
      check(body, schemaOf(`${operation}Response`), operation, problems);
      expect(problems).toEqual([]);
    },
  );

  it('would catch a key the model lacks and a value of the wrong kind (the check itself)', () => {
    const problems: string[] = [];
    check(
      { Accounts: [{ Id: '1', Status2: 'ACTIVE', JoinedTimestamp: '2026-01-01' }] },
      schemaOf('ListAccountsForParentResponse'),
      'x',
      problems,
    );
    expect(problems).toEqual([
      expect.stringMatching(/Status2: not in Account/),
      expect.stringMatching(/JoinedTimestamp: a timestamp is epoch seconds/),
    ]);
  });

  it('spells errors as the model names them, with HTTP 400', async () => {
    const { status, body } = await call('DescribeAccount', { AccountId: '999999999999' });
    expect(status).toBe(400);
    expect(body.__type).toBe('AccountNotFoundException');
    expect(schemaOf('AccountNotFoundException')).toBeDefined();
  });
});
