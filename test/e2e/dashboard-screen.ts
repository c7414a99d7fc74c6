import {stripVTControlCharacters} from 'node:util';
import type {PtyCli} from '../helpers/pty-cli.js';
import type {UdpPeer} from '../helpers/udp-peer.js';
import {waitFor} from '../helpers/wait-for.js';

/*
Reading the dashboard as a person at the terminal sees it. Ink wraps every frame in the
synchronized-output markers (`ESC[?2026h` … `ESC[?2026l`) and redraws the whole frame each time,
so the text between the last pair of markers is exactly what the screen shows now.
*/

const frameStart = '\u001B[?2026h';
const frameEnd = '\u001B[?2026l';

/** The latest complete frame, without escape sequences; '' before the first. */
export function lastFrame(cli: PtyCli): string {
  const end = cli.output.lastIndexOf(frameEnd);
  if (end === -1) {
    return '';
  }

  const start = cli.output.lastIndexOf(frameStart, end);
  return stripVTControlCharacters(
    cli.output.slice(start + frameStart.length, end),
  );
}

/** Waits until the screen shows a frame for which `check` holds; fails with that frame. */
export async function waitForFrame(
  cli: PtyCli,
  check: (frame: string) => boolean,
  what: string,
  timeoutMs = 8000,
): Promise<string> {
  try {
    return await waitFor(
      () => {
        const frame = lastFrame(cli);
        return check(frame) ? frame : undefined;
      },
      {timeoutMs, message: what},
    );
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; the screen showed:\n${lastFrame(cli)}`,
      {cause: error},
    );
  }
}

/** One row of the client table, cells by heading (`client`, `state`, `recv` …). */
export type ScreenRow = {
  readonly selected: boolean;
  readonly client: string;
  readonly cells: Readonly<Record<string, string>>;
};

/** A table line's cells: they stand two spaces apart or more, and hold no two spaces inside. */
function cellsOf(line: string): string[] {
  return line.trim().split(/ {2,}/v);
}

/**
 * Where the table stands on the screen: its heading line (` client  state …`), and the line after
 * its last row (the row lines are those under the heading that start with the cursor's column).
 */
export function tableBounds(lines: readonly string[]): {
  readonly top: number;
  readonly bottom: number;
} {
  const top = lines.findIndex((line) => line.startsWith(' client '));
  if (top === -1) {
    return {top, bottom: -1};
  }

  let bottom = top + 1;
  while (bottom < lines.length && /^ [> ] \S/v.test(lines[bottom]!)) {
    bottom++;
  }

  return {top, bottom};
}

/** The table's rows in the order drawn; the `>` in front of the client marks the selection. */
export function tableRows(frame: string): ScreenRow[] {
  const all = frame.split(/\r?\n/v);
  const {top, bottom} = tableBounds(all);
  if (top === -1) {
    return [];
  }

  const headings = cellsOf(all[top]!);
  const rows = all.slice(top + 1, bottom).map((line) => cellsOf(line));
  return rows.map((row) => {
    const cells = Object.fromEntries(
      headings.map((heading, index) => [heading, row[index] ?? '']),
    );
    const marked = /^(?<marker>> )?(?<client>\S+)$/v.exec(cells.client ?? '');
    return {
      selected: marked?.groups?.marker !== undefined,
      client: marked?.groups?.client ?? '',
      cells,
    };
  });
}

/** The clients in the order the table draws them. */
export function clientOrder(frame: string): string[] {
  return tableRows(frame).map((row) => row.client);
}

/** A whole number from a cell, or NaN. */
export function count(row: ScreenRow | undefined, heading: string): number {
  return Number(row?.cells[heading] ?? Number.NaN);
}

export function rowOf(frame: string, client: string): ScreenRow | undefined {
  return tableRows(frame).find((row) => row.client === client);
}

/** The first header line: where it listens, the loss, uptime, rate and FROZEN. */
export function headerLine(frame: string): string {
  return frame.split(/\r?\n/v)[0] ?? '';
}

/** The line above the table: sort, filter and the cursor. */
export function statusLine(frame: string): string {
  return (
    frame.split(/\r?\n/v).find((line) => line.startsWith('sorted by')) ?? ''
  );
}

/** A peer's display key, as the dashboard shows it. */
export function keyOf(peer: UdpPeer): string {
  return `127.0.0.1:${peer.port}`;
}

/** A client that keeps sending numbered heartbeats, as a real one would, until stopped. */
export function keepSending(
  peer: UdpPeer,
  port: number,
  intervalMs: number,
): () => void {
  let seq = 0;
  const timer = setInterval(() => {
    seq++;
    void peer.send(`${seq}`, port).catch(() => undefined);
  }, intervalMs);
  return () => {
    clearInterval(timer);
  };
}

/** Sends `total` numbered heartbeats `intervalMs` apart, then falls silent. */
export async function sendThenFallSilent(
  peer: UdpPeer,
  port: number,
  total: number,
  intervalMs: number,
): Promise<void> {
  for (let seq = 1; seq <= total; seq++) {
    await peer.send(`${seq}`, port);
    if (seq < total) {
      await new Promise((resolve) => {
        setTimeout(resolve, intervalMs);
      });
    }
  }
}
