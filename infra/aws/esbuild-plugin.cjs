'use strict';
/**
 * A local Serverless Framework plugin that bundles each function with esbuild, offline, before packaging.
 * osls has no built-in esbuild step and serverless-esbuild is not a dependency, so this small plugin
 * does what they would: one minified CommonJS bundle per function (mainFields module,main — ESM entry points
 * tree-shake and load about twice as fast), the compiled policy (policy.json) next to it, zipped at the
 * handler's own path so `handler:` in serverless.yml stays the source path. Serverless v4 reads `build.esbuild: false` and leaves
 * the bundling to this plugin; the plugin declares that key so osls (v3 schema) accepts it.
 */
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, writeFileSync, existsSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');
const zlib = require('node:zlib');

const zodEnglishOnly = require('../zod-english-only.cjs');
const { awsSdkSchemas } = require('../aws-sdk-schemas.cjs');

/** The SDK's default credential chain → the environment only (see lambda-credentials.cjs). */
const lambdaCredentials = {
  name: 'lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: join(__dirname, 'lambda-credentials.cjs'),
    }));
  },
};

/** esbuild options for one handler; the bundle benchmark uses the same ones. */
function esbuildOptions(entry, outfile) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    plugins: [zodEnglishOnly, awsSdkSchemas, lambdaCredentials],
  };
}

/** `functions/aws/sweep.handler` → the TypeScript entry and the path the bundle takes in the zip. */
function handlerPaths(handler) {
  const file = handler.slice(0, handler.lastIndexOf('.'));
  return { entry: `${file}.ts`, zipPath: `${file}.js` };
}

// --- a minimal zip writer (deflate, no data descriptors), instead of a dependency ---
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf) >>> 0;
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
/** Zips `files` ({ name, data }) with a fixed 1980-01-01 timestamp, so the same input gives the same bytes. */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBuf = Buffer.from(name.split('\\').join('/'), 'utf8');
    const packed = zlib.deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6);
    head.writeUInt16LE(8, 8);
    head.writeUInt16LE(0, 10);
    head.writeUInt16LE(0x21, 12);
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(head, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += head.length + nameBuf.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

class PeerkeeperEsbuildPlugin {
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options || {};
    this.log = (utils && utils.log) || { notice: () => undefined };
    const schema = serverless.configSchemaHandler;
    if (schema && typeof schema.defineTopLevelProperty === 'function') {
      schema.defineTopLevelProperty('build', { type: 'object', properties: { esbuild: { type: 'boolean' } } });
    }
    this.hooks = {
      'before:package:initialize': () => this.requireParameters(),
      'before:package:createDeploymentArtifacts': () => this.bundleAll(),
      'before:deploy:function:packageFunction': () => this.bundle(this.options.function),
    };
  }

  async bundleAll() {
    for (const name of this.serverless.service.getAllFunctions()) await this.bundle(name);
    // The deployed policy's fingerprint, which `peerkeeper doctor` compares with the policy a user holds.
    const hash = createHash('sha256').update(this.compiledPolicy(this.root())).digest('hex');
    for (const name of this.serverless.service.getAllFunctions()) {
      const fn = this.serverless.service.getFunction(name);
      fn.environment = { ...(fn.environment || {}), PEERKEEPER_POLICY_SHA256: hash };
    }
  }

  root() {
    return this.serverless.serviceDir || this.serverless.config.servicePath;
  }

  /**
   * The deploy parameters without a safe default: the policy (a default would ship the example policy) and the
   * organization id (a wrong one silently blocks every member account's events). Packaging stops, naming them.
   */
  requireParameters() {
    const custom = (this.serverless.service.custom || {}).peerkeeper || {};
    const missing = [];
    if (!custom.policyFile)
      missing.push('PEERKEEPER_POLICY — the policy file to deploy, e.g. PEERKEEPER_POLICY=policy.yaml');
    // o-exampleorgid: the placeholder earlier versions defaulted to, well-formed but nobody's organization.
    if (!/^o-[a-z0-9]{10,32}$/.test(custom.organizationId || '') || custom.organizationId === 'o-exampleorgid') {
      missing.push(
        `PEERKEEPER_ORGANIZATION_ID — your AWS Organizations id (o-…; \`aws organizations describe-organization\`)${custom.organizationId ? `, not "${custom.organizationId}"` : ''}`,
      );
    }
    if (missing.length > 0) {
      const ErrorClass = (this.serverless.classes && this.serverless.classes.Error) || Error;
      throw new ErrorClass(
        `peerkeeper: set ${missing.length === 1 ? 'this deploy parameter' : 'these deploy parameters'} (docs/deploy/aws.md):\n  ${missing.join('\n  ')}`,
      );
    }
    if (!this.warnedNoSubscriber && !custom.alarmEmail && !custom.alarmHttpsUrl && !custom.alarmSlackChannelId) {
      this.warnedNoSubscriber = true;
      this.log.notice(
        'peerkeeper: no alarm subscriber (PEERKEEPER_ALARM_EMAIL, PEERKEEPER_ALARM_HTTPS_URL or PEERKEEPER_ALARM_SLACK_*): alarms will page nobody until the SNS topic has one',
      );
    }
  }

  /**
   * The policy compiled once per packaging by `peerkeeper validate --out` (validated, defaults applied, JSON):
   * a policy with problems stops the packaging with every problem listed, before anything is deployed.
   */
  compiledPolicy(root) {
    if (this.policyJson) return this.policyJson;
    this.requireParameters();
    const custom = (this.serverless.service.custom || {}).peerkeeper || {};
    const policy = resolve(root, custom.policyFile);
    if (!existsSync(policy))
      throw new Error(`peerkeeper: policy file ${relative(root, policy)} not found (custom.peerkeeper.policyFile)`);
    const out = join(root, '.serverless', 'build', 'policy.json');
    mkdirSync(dirname(out), { recursive: true });
    const run = spawnSync(
      process.execPath,
      [join(__dirname, '..', '..', 'bin', 'peerkeeper.cjs'), 'validate', policy, '--out', out],
      { encoding: 'utf8' },
    );
    if (run.status !== 0)
      throw new Error(
        `peerkeeper: the policy ${relative(root, policy)} does not validate:\n${run.stderr || run.stdout}`,
      );
    this.policyJson = readFileSync(out);
    return this.policyJson;
  }

  /** Bundles one function into .serverless/build/<name>.zip and points the function's package at it. */
  async bundle(name) {
    const esbuild = require('esbuild');
    const root = this.serverless.serviceDir || this.serverless.config.servicePath;
    const fn = this.serverless.service.getFunction(name);
    const { entry, zipPath } = handlerPaths(fn.handler);
    const outfile = join(root, '.serverless', 'build', name, zipPath);
    mkdirSync(dirname(outfile), { recursive: true });
    await esbuild.build(esbuildOptions(join(root, entry), outfile));
    const files = [
      { name: zipPath, data: readFileSync(outfile) },
      // Next to the bundle: the runtime's default policy path is `policy.json` beside __dirname.
      { name: join(dirname(zipPath), 'policy.json'), data: this.compiledPolicy(root) },
    ];
    const artifact = join(root, '.serverless', 'build', `${name}.zip`);
    writeFileSync(artifact, zip(files));
    fn.package = { ...(fn.package || {}), artifact: relative(root, artifact) };
    this.log.notice(`peerkeeper: bundled ${name} (${Math.round(files[0].data.length / 1024)} KiB)`);
  }
}

module.exports = PeerkeeperEsbuildPlugin;
module.exports.esbuildOptions = esbuildOptions;
module.exports.handlerPaths = handlerPaths;
module.exports.zip = zip;
