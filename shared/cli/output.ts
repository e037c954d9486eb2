/** Where CLI commands write: injectable so commands are testable without a terminal. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  /** Colour only on a TTY (and never when NO_COLOR is set). */
  color: boolean;
  /** stderr is a terminal: progress lines (snapshot's reads) are welcome there. */
  progress?: boolean;
}

/** The process's own stdout/stderr. */
export function processOutput(): CliOutput {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    progress: Boolean(process.stderr.isTTY),
  };
}
