/** Small pure helpers for the benchmark's figures. */

/** The `p`-th percentile (0–100) of ascending `sorted` values, by nearest rank; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }

  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The median of some samples (they need not be sorted); NaN when empty. */
export function median(samples: readonly number[]): number {
  return percentile(
    samples.toSorted((a, b) => a - b),
    50,
  );
}

/**
 * How many sends are due now: what the rate asks for since the start, less what was sent. A
 * generator that fell more than `maxLagMs` behind gives up the older part of the offer rather than
 * flooding the server with it at once; the caller counts that as offered but not sent.
 */
export function dueSends({
  ratePerSecond,
  elapsedMs,
  sent,
  skipped,
  maxLagMs,
}: {
  readonly ratePerSecond: number;
  readonly elapsedMs: number;
  readonly sent: number;
  readonly skipped: number;
  readonly maxLagMs: number;
}): {readonly send: number; readonly skip: number} {
  const offered = Math.floor((ratePerSecond * Math.max(0, elapsedMs)) / 1000);
  const behind = offered - sent - skipped;
  if (behind <= 0) {
    return {send: 0, skip: 0};
  }

  const allowed = Math.max(1, Math.floor((ratePerSecond * maxLagMs) / 1000));
  return behind > allowed
    ? {send: allowed, skip: behind - allowed}
    : {send: behind, skip: 0};
}

/**
 * The sequence number a reply names, when it echoes a `Ping <seq> …` request (`PING <seq> …`);
 * undefined for any other reply (the baseline's fixed text, a seed reply).
 */
export function replySequence(reply: Uint8Array): number | undefined {
  // `PING ` in ASCII.
  if (
    reply.length < 6 ||
    reply[0] !== 0x50 ||
    reply[1] !== 0x49 ||
    reply[2] !== 0x4e ||
    reply[3] !== 0x47 ||
    reply[4] !== 0x20
  ) {
    return undefined;
  }

  let seq = 0;
  let index = 5;
  for (; index < reply.length; index++) {
    const byte = reply[index]!;
    if (byte < 0x30 || byte > 0x39) {
      break;
    }

    seq = seq * 10 + byte - 0x30;
  }

  return index === 5 ? undefined : seq;
}

/** A ratio written for the table: `0.82×`, or `-` when either side is missing. */
export function formatRatio(value: number, baseline: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) {
    return '-';
  }

  return `${(value / baseline).toFixed(2)}×`;
}

/** Right-aligns every column but the first; columns are as wide as their widest cell. */
export function formatTable(rows: ReadonlyArray<readonly string[]>): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [column, cell] of row.entries()) {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    }
  }

  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0
            ? cell.padEnd(widths[column]!)
            : cell.padStart(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
