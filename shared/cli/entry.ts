import { runCli } from './main';

/**
 * The process entry of the `peerkeeper` command: the compiled CLI (dist/cli/peerkeeper.mjs, what `bin` runs) and
 * `npm run peerkeeper` from source both start here, so main.ts stays a module that tests import without side effects.
 */
// `peerkeeper plan | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
