/** The request formats the bundled client can send (docs/protocol.md, "Formats seen in real clients"). */
export type PayloadFormat = 'seed' | 'ping' | 'heartbeat';

export const payloadFormats: readonly PayloadFormat[] = [
  'seed',
  'ping',
  'heartbeat',
];

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * Splits a millisecond time into whole microseconds once, so the seconds and the fraction always
 * agree (rounding 999.9996 ms separately would print the fraction of the next second).
 */
function splitMicroseconds(nowMs: number): {wholeMs: number; micros: number} {
  const totalMicros = Math.round(nowMs * 1000);
  const wholeMs = Math.floor(totalMicros / 1000);
  return {wholeMs, micros: totalMicros - wholeMs * 1000};
}

/**
 * Python's `str(datetime.now())` in local time: `2026-11-24 05:31:07.123456`, and without the
 * fraction when the microsecond is 0, exactly as Python writes it.
 */
export function pythonDatetime(nowMs: number): string {
  const {wholeMs, micros} = splitMicroseconds(nowMs);
  const date = new Date(wholeMs);
  const microsecond = date.getMilliseconds() * 1000 + micros;
  const text =
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return microsecond === 0 ? text : `${text}.${pad(microsecond, 6)}`;
}

/** Python's `time.time()` with six decimals: seconds since the epoch. */
export function epochSeconds(nowMs: number): string {
  const {wholeMs, micros} = splitMicroseconds(nowMs);
  const seconds = Math.floor(wholeMs / 1000);
  const fraction = (wholeMs - seconds * 1000) * 1000 + micros;
  return `${seconds}.${pad(fraction, 6)}`;
}

/** The text of heartbeat `seq` sent at `nowMs` (wall-clock milliseconds) in the given format. */
export function buildPayload(
  format: PayloadFormat,
  seq: number,
  nowMs: number,
): string {
  switch (format) {
    case 'seed': {
      return `${seq}\t${pythonDatetime(nowMs)}`;
    }

    case 'ping': {
      return `Ping ${seq} ${epochSeconds(nowMs)}`;
    }

    case 'heartbeat': {
      return `Heartbeat ${seq} ${epochSeconds(nowMs)}`;
    }
  }
}
