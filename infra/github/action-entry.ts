import { runPrGate } from './pr-gate';

/** The process entry of the pull-request gate (dist/cli/pr-gate.mjs, run by action.yml). */
runPrGate(process.env, (line) => process.stdout.write(`${line.trimEnd()}\n`)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`peerkeeper gate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
