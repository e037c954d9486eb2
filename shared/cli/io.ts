import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Estate } from '../model';
import { EstateSchema } from '../model';
import type { EstateIssue } from '../model/estate-checks';
import { estateIssues, formatJsonPath } from '../model/estate-checks';
import { PolicyError, TerminalError } from '../errors';
import { EstateSyntaxError, readEstateDocument, writeEstateFile } from './estate-stream';
import type { LoadedPolicy } from '../policy';
import { loadPolicy } from '../policy';

/** A CLI failure with the exit code to use (1 = error, like terraform). */
export class CliError extends TerminalError {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Reads and validates a policy file; every problem is reported at once. */
export function readPolicy(path: string): LoadedPolicy {
  return loadPolicy(readText(path, 'policy'), path);
}

/**
 * Reads and validates an estate snapshot like any other input: the schema, then what it cannot say
 * (`estateIssues`: ranges, duplicate ids, timestamps, complete vs gaps). Every problem names the file
 * and its JSON path (`networks[3].cidrs[1]`), all at once; at most 20 are printed. The streamed layout
 * (estate-stream.ts) is read a line at a time, so any size reads; any other JSON layout is read whole.
 */
export function readEstate(path: string): Estate {
  let raw: unknown;
  try {
    // The streamed layout (what snapshot and apply --out write) is read a line at a time; any other layout whole.
    raw = readEstateDocument(path, () => readText(path, 'estate'));
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (error instanceof EstateSyntaxError) throw new CliError(`${path}: ${error.message}`);
    throw new CliError(`cannot read estate ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const parsed = EstateSchema.safeParse(raw);
  if (!parsed.success) {
    throw snapshotError(
      path,
      parsed.error.issues.map((i) => ({ path: formatJsonPath(i.path), message: i.message })),
    );
  }
  const issues = estateIssues(parsed.data);
  if (issues.length > 0) throw snapshotError(path, issues);
  return parsed.data;
}

/** How many snapshot problems are printed: a generated file can be wrong a hundred thousand times. */
const SNAPSHOT_ISSUES_SHOWN = 20;

function snapshotError(path: string, issues: readonly EstateIssue[]): CliError {
  const lines = issues.slice(0, SNAPSHOT_ISSUES_SHOWN).map((i) => `  ${path}: ${i.path}: ${i.message}`);
  if (issues.length > SNAPSHOT_ISSUES_SHOWN) lines.push(`  … and ${issues.length - SNAPSHOT_ISSUES_SHOWN} more`);
  return new CliError(`${path} is not an estate snapshot (see \`peerkeeper schema --estate\`):\n${lines.join('\n')}`);
}

/**
 * Writes a file atomically (temp file + rename), so a crash never leaves half a snapshot or policy. Missing parent
 * directories are created: `validate --out dist/policy.json` works on a fresh clone, where dist/ does not exist yet.
 */
export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Writes an estate snapshot atomically: compact JSON, one list element per line, streamed (no size limit but the
 * disk's); `pretty` indents it instead (what people read and diff), streamed too.
 */
export function writeEstate(path: string, estate: Estate, options: { pretty?: boolean } = {}): void {
  writeEstateFile(path, estate, options);
}

/** Writes JSON atomically. */
export function writeJson(path: string, value: unknown): void {
  writeText(path, JSON.stringify(value, null, 2) + '\n');
}

/** Turns any error into the message and exit code the CLI prints. */
export function describeCliError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof PolicyError) return { message: error.message, exitCode: 1 };
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof Error) return { message: `${error.name}: ${error.message}`, exitCode: 1 };
  return { message: String(error), exitCode: 1 };
}
