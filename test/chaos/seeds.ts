/**
 * Which seeds a chaos suite runs: `CHAOS_SEED=n` runs exactly one (the reproduction), `CHAOS_SEEDS=n`
 * runs n consecutive seeds from `CHAOS_FIRST_SEED` (default 1); otherwise `fallback` seeds.
 */
export function chaosSeeds(fallback: number): number[] {
  const one = process.env.CHAOS_SEED;
  if (one !== undefined && one !== '') return [Number(one)];
  const count = Number(process.env.CHAOS_SEEDS ?? fallback);
  const first = Number(process.env.CHAOS_FIRST_SEED ?? 1);
  return Array.from({ length: count }, (_, i) => first + i);
}

/** The one line that reruns a failing seed. */
export function reproduction(seed: number, file: string): string {
  return `CHAOS_SEED=${seed} npx jest ${file}`;
}
