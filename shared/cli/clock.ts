import { parseIsoTimestamp } from '../model/estate-checks';
import { CliError, readEstate } from './io';

/** The flags that decide a command's time. */
export interface ClockArgs {
  /** `--now ISO`: an explicit time, for replaying a snapshot or a decision at a chosen moment. */
  now?: string;
  /** `--estate S`: a snapshot; its `observedAt` is the command's time unless --now is given. */
  estate?: string;
}

/**
 * The one clock of a CLI command: `--now`, else the snapshot's `observedAt`, else the wall clock.
 * Every command that plans, requests, lists or decides approvals takes its time from here, so an approval
 * opened by `apply --estate S` (expiry = observedAt + ttl) is still open for `approve --estate S` on any
 * later date, and a snapshot replays the same way in 2026 and in 2031.
 */
export function commandNow(args: ClockArgs, wallClock: () => Date = () => new Date()): Date {
  if (args.now !== undefined) return parseNow(args.now);
  if (args.estate !== undefined) return new Date(readEstate(args.estate).observedAt);
  return wallClock();
}

/**
 * `--now` as a Date: an ISO timestamp with a zone, or a date alone (midnight UTC, as JavaScript reads it). A time
 * without a zone would be read in the host's zone, so it is refused like any other non-timestamp: a CLI error, never
 * an Invalid Date that reaches the planner.
 */
export function parseNow(text: string): Date {
  const date = parseIsoTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (!date) throw new CliError(`--now ${text} is not an ISO timestamp with a zone (e.g. 2026-11-20T12:00:00Z)`);
  return date;
}
