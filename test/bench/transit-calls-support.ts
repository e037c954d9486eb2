/** One measured handling: the emulator's reads and writes, and the calls by name. */
export interface Measured {
  reads: number;
  writes: number;
  calls: Record<string, number>;
}
export type Row = Record<string, unknown> & { name: string };

/** A cloud's two rows: one attachment event handled end to end, and the same event replayed once converged. */
export const rows = (
  cloud: string,
  event: Measured,
  replay: Measured & { convergeWrites?: number },
  note: string,
): Row[] => [
  { name: `transit-calls-${cloud}-event`, ...event, total: event.reads + event.writes, note },
  {
    name: `transit-calls-${cloud}-event-replay`,
    ...replay,
    total: replay.reads + replay.writes,
    target: 'the same event replayed (new id) on the converged estate: 0 writes',
    pass: replay.writes === 0,
    note: 'the same event again under a fresh id, once the estate has converged',
  },
];

/** Calls per name made between two snapshots. */
export const diff = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, n]) => [k, n - (before[k] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
