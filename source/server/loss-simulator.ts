import type {RandomSource} from '../random.js';

/** Decides which replies the simulation drops, at a percentage the operator can change while it runs. */
export class LossSimulator {
  #percent: number;
  #changed = false;
  readonly #random: RandomSource;

  constructor(percent: number, random: RandomSource) {
    this.#percent = percent;
    this.#random = random;
  }

  get percent(): number {
    return this.#percent;
  }

  /** True once the percentage was changed at runtime. */
  get changed(): boolean {
    return this.#changed;
  }

  /** Sets the percentage, clamped to 0–100; returns whether it changed. */
  set(percent: number): boolean {
    const next = Math.min(100, Math.max(0, Math.round(percent * 100) / 100));
    if (next === this.#percent || !Number.isFinite(next)) {
      return false;
    }

    this.#percent = next;
    this.#changed = true;
    return true;
  }

  /** One draw per reply: true means drop it. */
  shouldDrop(): boolean {
    return this.#random() * 100 < this.#percent;
  }
}
