import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { azureBundleOptions } from '../../../infra/azure/bundle';

// The deployed functions bundle marks @azure/identity external and ships no node_modules (infra/azure/bundle.ts):
// these tests build it as deployed and check that the managed identity path never needs the package.
const ROOT = join(__dirname, '..', '..', '..');
const MIB = 1024 * 1024;
const run = promisify(execFile);

let dir: string;
let probe: string;
let server: Server;
let endpoint: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'peerkeeper-mi-bundle-'));
  const entry = join(dir, 'probe.ts');
  writeFileSync(
    entry,
    [
      `import { defaultCredential } from ${JSON.stringify(join(ROOT, 'shared/providers/azure/connect'))};`,
      "defaultCredential(process.env).getToken('https://management.azure.com/.default')",
      "  .then((t) => console.log('token ' + t.token), (e) => console.log(e.code + ': ' + e.message));",
    ].join('\n'),
  );
  probe = join(dir, 'probe.js');
  await build(azureBundleOptions(entry, probe));
  server = createServer((req, res) => {
    const ok = req.headers['x-identity-header'] === 'h';
    res
      .writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
      .end(
        JSON.stringify(
          ok
            ? { access_token: 'from-sidecar', expires_on: '1900000000', token_type: 'Bearer' }
            : { error: { code: 'BadHeader', message: 'no' } },
        ),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/MSI/token/`;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => server.close(resolve));
});

/** Runs the bundled probe in a directory with no node_modules, with only the given variables. */
async function probeWith(env: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, [probe], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 20_000,
  });
  return stdout.trim();
}

describe('the Azure functions bundle and the managed identity', () => {
  it('leaves MSAL, jsonwebtoken and @azure/identity out and stays under 1 MiB', async () => {
    const result = await build({
      ...azureBundleOptions(join(ROOT, 'functions/azure/index.ts'), join(dir, 'index.js')),
      write: false,
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter((path) => /node_modules\/(@azure\/msal-|@azure\/identity\/|jsonwebtoken\/)/.test(path)),
    ).toEqual([]);
    expect(result.outputFiles[0]!.contents.byteLength).toBeLessThan(MIB);
  });

  it('gets a token from IDENTITY_ENDPOINT with @azure/identity absent', async () => {
    expect(await probeWith({ IDENTITY_ENDPOINT: endpoint, IDENTITY_HEADER: 'h' })).toBe('token from-sidecar');
  });

  it('says the managed identity is off when IDENTITY_ENDPOINT is unset', async () => {
    expect(await probeWith({})).toMatch(
      /^NoManagedIdentity: the Function App has no managed identity \(IDENTITY_ENDPOINT unset\): enable it/,
    );
  });
});
