import { version } from '../../package.json';

/**
 * The process entry of the `peerkeeper` command: the compiled CLI (dist/cli/peerkeeper.mjs, what `bin` runs) and
 * `npm run peerkeeper` from source both start here, so main.ts stays a module that tests import without side effects.
 */
// `peerkeeper plan | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Scripts ask for the version often; answering before the parser loads keeps it at the cost of starting node.
  process.stdout.write(`${version}\n`);
} else {
  void import('./main')
    .then(({ runCli }) => runCli(argv))
    .then((code) => {
      process.exitCode = code;
    });
}
