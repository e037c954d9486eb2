/**
 * `npm start`: the local cloud and the scripted scenario, narrated, then a summary; exits 0 when the final
 * plan has no changes. `npm start -- --interactive` runs the scenario too, then keeps everything running,
 * prints the URLs and writes them to <state-dir>/local.json for `peerkeeper … --provider local`.
 * `--no-scenario` (with --interactive) starts an empty local cloud.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud, type LocalCloud } from './cloud';
import { runScenario, type ScenarioReport } from './scenario';
import { localDeploymentFacts } from './deployment';

const USAGE = `Usage: npm start [-- options]

Starts the local cloud (AWS, Azure and Google Cloud emulators, the real functions, a chat stand-in) on 127.0.0.1,
plays the scripted scenario, prints a summary and exits 0 when the final plan has no changes.

Options:
  --interactive        keep everything running after the scenario; print the URLs and write <state-dir>/local.json
  --no-scenario        with --interactive: start an empty local cloud
  --state-dir <dir>    where approvals, the audit log and local.json live (default .peerkeeper, or PEERKEEPER_STATE_DIR)
  --quiet              print nothing but errors
  -h, --help           this help

Examples:
  npm start
  npm start -- --interactive
  npm start -- --interactive --no-scenario --state-dir /tmp/pk
`;

/** The flags, or a one-line usage error (exit 1) instead of parseArgs' stack trace. */
function readFlags(): {
  interactive?: boolean;
  'no-scenario'?: boolean;
  'state-dir'?: string;
  quiet?: boolean;
  help?: boolean;
} {
  try {
    return parseArgs({
      options: {
        interactive: { type: 'boolean' },
        'no-scenario': { type: 'boolean' },
        'state-dir': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(
      `npm start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)} (see \`npm start -- --help\`)\n`,
    );
    process.exit(1);
  }
}

const values = readFlags();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const say = (line: string) => {
  if (!values.quiet) process.stdout.write(`${line}\n`);
};

function summary(cloud: LocalCloud, report: ScenarioReport): string {
  const deliveries = cloud.bus.deliveries;
  const by = (status: string) => deliveries.filter((d) => d.status === status).length;
  const lines = [
    '',
    '──────── Summary ────────',
    ...report.steps.map((s, i) => `${String(i + 1).padStart(2)}. ${s.title}\n      ${s.outcome} (${s.ms} ms)`),
    '',
    `Events delivered to the real handlers: ${deliveries.length} (${by('reconciled')} reconciled, ${by('ignored')} ignored as peerkeeper's own or not watched, ${deliveries.filter((d) => d.status.startsWith('error')).length} failed after retries).`,
    `Chat: ${cloud.workspace.messages.length} approval message(s), ${cloud.workspace.messages.reduce((n, m) => n + m.updates, 0)} update(s).`,
    `Final plan: ${report.finalChanges === 0 ? 'no changes' : `${report.finalChanges} change(s)`}. Scenario took ${(report.totalMs / 1000).toFixed(1)} s.`,
  ];
  return lines.join('\n');
}

function printUrls(cloud: LocalCloud, file: string): void {
  const e = cloud.endpoints;
  const policy = relative(process.cwd(), e.policy) || e.policy;
  say(`
The local cloud is running (Ctrl-C to stop):
  chat stand-in + live topology   ${e.chat}/
  approval endpoint (Slack)       ${e.approvals}
  AWS EC2/STS emulator            ${e.aws}      (AWS_ENDPOINT_URL; any key id = the hub account 111111111111)
  Azure ARM emulator              ${e.azure}
  GCP Compute emulator            ${e.gcp}/compute/v1
  endpoints written to            ${file}

Try:
  npx peerkeeper plan  --policy ${policy} --provider local
  npx peerkeeper apply --policy ${policy} --provider local
  npx peerkeeper graph --policy ${policy} --provider local --format html --out topology.html`);
}

async function main(): Promise<number> {
  const stateDir = resolve(values['state-dir'] ?? process.env.PEERKEEPER_STATE_DIR ?? '.peerkeeper');
  const interactive = values.interactive === true;
  if (interactive) mkdirSync(stateDir, { recursive: true });
  const cloud = await startLocalCloud({ ...(interactive ? { stateDir } : {}), log: (line) => say(`  · ${line}`) });
  const file = join(stateDir, 'local.json');
  say(
    `peerkeeper local cloud: AWS ${cloud.endpoints.aws}, Azure ${cloud.endpoints.azure}, GCP ${cloud.endpoints.gcp}, chat ${cloud.endpoints.chat}/`,
  );
  let code = 0;
  if (values['no-scenario'] !== true) {
    // The scenario takes a few seconds; a minute means something hangs, and a hung `npm start` helps no one.
    const watchdog = setTimeout(() => {
      process.stderr.write('npm start: the scenario did not finish within 60 s; giving up\n');
      process.exit(1);
    }, 60_000);
    watchdog.unref();
    const report = await runScenario(cloud, say);
    clearTimeout(watchdog);
    say(summary(cloud, report));
    code = report.finalChanges === 0 ? 0 : 1;
  }
  if (!interactive) {
    await cloud.close();
    return code;
  }
  // `deployment`: what `peerkeeper doctor --provider local` checks (secret store, policy hash, deliveries so far).
  writeFileSync(file, JSON.stringify({ ...cloud.endpoints, deployment: localDeploymentFacts(cloud) }, null, 2) + '\n');
  printUrls(cloud, file);
  await new Promise<void>((done) => {
    const stop = () => {
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  rmSync(file, { force: true });
  await cloud.close();
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
