/**
 * When to ask whether to shut down (the README, "The dashboard"): after `timeoutMs` without a
 * datagram from anyone. Dismissing hides the prompt until another full period passes; a datagram
 * hides it by itself. Pure: the caller passes the time and the store's `lastActivity`.
 */
export class IdleWatch {
  readonly #timeoutMs: number;
  readonly #startedAt: number;
  #dismissedAt = Number.NEGATIVE_INFINITY;
  /** Start of the silence last announced, so each silence is announced once. */
  #announcedSince = Number.NaN;

  /** `timeoutMs` 0 (or less) turns the watch off. */
  constructor(timeoutMs: number, startedAt: number) {
    this.#timeoutMs = timeoutMs;
    this.#startedAt = startedAt;
  }

  /**
   * How long everyone has been silent (since the latest datagram, or the start), while the prompt
   * should show; undefined while it should not.
   */
  silenceMs(now: number, lastActivity: number | undefined): number | undefined {
    if (this.#timeoutMs <= 0) {
      return undefined;
    }

    const silentSince = lastActivity ?? this.#startedAt;
    const countFrom = Math.max(silentSince, this.#dismissedAt);
    return now - countFrom >= this.#timeoutMs ? now - silentSince : undefined;
  }

  /** Hides the prompt until another full period passes without a datagram. */
  dismiss(now: number): void {
    this.#dismissedAt = now;
  }

  /**
   * True once per silence, when it first reaches the timeout: headless mode writes one `idle`
   * event then and goes on serving; the next silence is announced again.
   */
  shouldAnnounce(now: number, lastActivity: number | undefined): boolean {
    if (this.#timeoutMs <= 0) {
      return false;
    }

    const silentSince = lastActivity ?? this.#startedAt;
    if (
      silentSince === this.#announcedSince ||
      now - silentSince < this.#timeoutMs
    ) {
      return false;
    }

    this.#announcedSince = silentSince;
    return true;
  }
}
