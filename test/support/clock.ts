/**
 * The instant tests run at when time is not the thing tested: examples/estate.json's observedAt. One fixed date
 * keeps expiry arithmetic (7-day AWS requests, 72 h approvals, 1 h credentials) identical in every year the suite
 * runs; CI also runs the suite under libfaketime years ahead to prove nothing reads the wall clock by accident.
 */
export const TEST_NOW = new Date('2026-11-20T12:00:00.000Z');

/** A clock that starts at `start` and moves only when a test says so. */
export interface TestClock {
  now(): Date;
  /** Moves the clock forward (a negative value moves it back). */
  advance(ms: number): void;
}

/** A clock for emulators, adapters and handlers under test: deterministic, never the wall clock. */
export function testClock(start: Date = TEST_NOW): TestClock {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advance: (ms) => {
      at += ms;
    },
  };
}

/**
 * A clock that starts at `start` and runs at the machine's pace: for emulators whose long-running operations
 * finish a few real milliseconds after they start (GCP and Azure LROs) and handlers that measure their own
 * duration. The date is fixed; only elapsed time comes from the (monotonic) machine clock.
 */
export function runningClock(start: Date = TEST_NOW): TestClock {
  const origin = performance.now();
  let offset = 0;
  return {
    now: () => new Date(start.getTime() + offset + Math.floor(performance.now() - origin)),
    advance: (ms) => {
      offset += ms;
    },
  };
}
