import { runCli } from './main';

/**
 * The process entry of the `peerkeeper` command: the compiled CLI (dist/cli/entry.mjs, what `bin` runs) and
 * `npm run peerkeeper` from source both start here, so main.ts stays a module that tests import without side effects.
 */
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
