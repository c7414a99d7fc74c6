/** A source of uniform numbers in [0, 1). Injected so the loss simulation is reproducible. */
export type RandomSource = () => number;

/**
 * A seeded generator (mulberry32): small, fast and good enough for a loss simulation.
 * The same seed always gives the same sequence, so `--seed` makes runs reproducible.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d_2b_79_f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A seed for runs without `--seed`. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4_294_967_296);
}
