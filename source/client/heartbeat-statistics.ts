/** Round-trip times in milliseconds, as ping reports them. */
export type RttSummary = {
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  /** Standard deviation, as ping's `mdev`. */
  readonly mdev: number;
};

/** What one client, or all of them together, sent and got back. */
export type HeartbeatTotals = {
  readonly sent: number;
  readonly received: number;
  /** Still waiting for a reply when the run was interrupted: counted neither received nor lost. */
  readonly awaiting: number;
  /** Heartbeats that got no reply in time, as a percentage of those that were answered or timed out. */
  readonly lossPercent: number;
  /** Undefined when nothing was received. */
  readonly rtt: RttSummary | undefined;
};

/** Counts kept while a client runs: O(1) per heartbeat, and mergeable for the overall line. */
export class HeartbeatTally {
  sent = 0;
  received = 0;
  awaiting = 0;
  #rttSum = 0;
  #rttSquareSum = 0;
  #rttMin = Number.POSITIVE_INFINITY;
  #rttMax = Number.NEGATIVE_INFINITY;

  recordReply(rttMs: number): void {
    this.received++;
    this.#rttSum += rttMs;
    this.#rttSquareSum += rttMs * rttMs;
    this.#rttMin = Math.min(this.#rttMin, rttMs);
    this.#rttMax = Math.max(this.#rttMax, rttMs);
  }

  add(other: HeartbeatTally): void {
    this.sent += other.sent;
    this.received += other.received;
    this.awaiting += other.awaiting;
    this.#rttSum += other.#rttSum;
    this.#rttSquareSum += other.#rttSquareSum;
    this.#rttMin = Math.min(this.#rttMin, other.#rttMin);
    this.#rttMax = Math.max(this.#rttMax, other.#rttMax);
  }

  totals(): HeartbeatTotals {
    const settled = this.sent - this.awaiting;
    return {
      sent: this.sent,
      received: this.received,
      awaiting: this.awaiting,
      lossPercent:
        settled === 0 ? 0 : ((settled - this.received) / settled) * 100,
      rtt: this.#rtt(),
    };
  }

  #rtt(): RttSummary | undefined {
    if (this.received === 0) {
      return undefined;
    }

    const avg = this.#rttSum / this.received;
    // Clamp: rounding can make the variance of equal values a tiny negative number.
    const variance = Math.max(
      0,
      this.#rttSquareSum / this.received - avg * avg,
    );
    return {
      min: this.#rttMin,
      avg,
      max: this.#rttMax,
      mdev: Math.sqrt(variance),
    };
  }
}

/** A loss percentage as the dashboard writes it: whole numbers bare, others with one decimal. */
export function formatLossPercent(percent: number): string {
  return `${Number(percent.toFixed(1))}%`;
}

/** A round-trip time on a heartbeat line, with ping's precision: 0.042, 1.23, 12.3, 123. */
export function formatRtt(ms: number): string {
  if (ms < 1) {
    return ms.toFixed(3);
  }

  if (ms < 10) {
    return ms.toFixed(2);
  }

  return ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

/** The lines under a statistics header: counts and loss, then round-trip times if any. */
export function statisticsLines(totals: HeartbeatTotals): string[] {
  const counts = `${totals.sent} sent, ${totals.received} received, ${formatLossPercent(totals.lossPercent)} loss`;
  const lines = [
    totals.awaiting === 0
      ? counts
      : `${counts}, ${totals.awaiting} still awaiting a reply`,
  ];
  if (totals.rtt !== undefined) {
    const {min, avg, max, mdev} = totals.rtt;
    lines.push(
      `rtt min/avg/max/mdev = ${[min, avg, max, mdev].map((value) => value.toFixed(3)).join('/')} ms`,
    );
  }

  return lines;
}
