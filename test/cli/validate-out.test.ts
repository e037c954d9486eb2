import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';

const quiet: CliOutput = { out: () => undefined, err: () => undefined, color: false };

describe('peerkeeper validate --out', () => {
  it('creates the directories the compiled policy goes in (dist/ does not exist on a fresh clone)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'peerkeeper-validate-')), 'dist', 'azure', 'policy.json');
    expect(await runCli(['validate', 'examples/policy.yaml', '--out', out], quiet)).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
