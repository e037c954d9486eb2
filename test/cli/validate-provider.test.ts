import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAwsEmulator, type AwsEmulator } from '../../infra/local/aws';
import { validateWithProvider } from '../../shared/cli/validate';
import { loadPolicy } from '../../shared/policy';
import { createAwsProvider } from '../../shared/providers/aws';
import { testClock } from '../support/clock';

const POLICY = `version: 1
providers: { aws: { hubAccount: "111111111111" } }
groups:
  hub: { cloud: aws, account: "111111111111", tags: { role: hub } }
  workloads: { cloud: aws, organizationalUnit: Workloads, tags: { role: spoke } }
  anyone: { cloud: aws, tags: { role: lab } }
connections:
  - { name: w, topology: hub-spoke, hub: hub, spokes: workloads }
  - { name: l, topology: hub-spoke, hub: hub, spokes: anyone }
`;

function capture() {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
    color: false,
  };
  return io;
}

/** `peerkeeper validate --provider aws` against the Organizations emulator: what each group resolves to, and why not. */
describe('validate --provider', () => {
  let emu: AwsEmulator;
  const file = join(mkdtempSync(join(tmpdir(), 'pk-validate-')), 'policy.yaml');
  const connect = async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAHUBSTATIC0000000';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-secret';
    return createAwsProvider(loadPolicy(POLICY, file).policy, { AWS_ENDPOINT_URL: emu.url, AWS_REGION: 'us-east-1' });
  };
  beforeAll(async () => {
    writeFileSync(file, POLICY);
    emu = await startAwsEmulator({ hubAccount: '111111111111', now: testClock().now });
    const org = emu.organization;
    const workloads = org.createOrganizationalUnit(org.rootId, 'Workloads');
    const prod = org.createOrganizationalUnit(workloads.id, 'Prod');
    org.addAccount({ id: '333333333333', name: 'checkout', parentId: prod.id });
    org.addAccount({ id: '555555555555', name: 'old', parentId: workloads.id, state: 'SUSPENDED' });
    org.addAccount({ id: '666666666666', name: 'lab', parentId: org.rootId });
  });
  afterAll(() => emu.close());

  it('lists listed accounts, discovered ones with their OU path, and those not governed with their state', async () => {
    const io = capture();
    expect(await validateWithProvider({ policy: file, provider: 'aws' }, io, connect)).toBe(0);
    expect(io.stdout).toContain('hub (aws): 1 listed account(s)\n    111111111111  listed');
    expect(io.stdout).toMatch(
      /workloads \(aws\): 1 governed of 2 discovered account\(s\)\n {4}333333333333 checkout {2}\/Workloads\/Prod \(ou-[a-z0-9-]+\) {2}ACTIVE\n {4}555555555555 old {2}\/Workloads \(ou-[a-z0-9-]+\) {2}SUSPENDED, not governed/,
    );
    expect(io.stdout).toContain('anyone (aws): any governed account (selected by tags or names)');
    expect(io.stdout).not.toContain('666666666666');
  });

  it('fails when discovery fails, instead of showing an empty OU', async () => {
    emu.faults.serverError({ action: 'ListRoots' });
    try {
      await expect(validateWithProvider({ policy: file, provider: 'aws' }, capture(), connect)).rejects.toThrow(
        /ListRoots/,
      );
    } finally {
      emu.faults.clear();
    }
  });
});
