import {rowRecord} from '../engine/client-row.js';
import type {EngineFinal} from '../engine/types.js';

/**
 * The exit summary of a run, from what its engine handed back when it stopped (or the last
 * snapshot it published): what the server prints, and what an attached viewer prints when the
 * server it watches shuts down.
 */
export async function finalSummaryText(
  final: EngineFinal,
  logPath: string | undefined,
): Promise<string> {
  // Loaded only at the end: the summary's table is drawn with Ink.
  const {formatSummary} = await import('./summary.js');
  const {snapshot} = final;
  return formatSummary({
    listening: snapshot.info.listening,
    startedAt: snapshot.info.startedAt,
    endedAt: final.endedAt,
    lossPercent: snapshot.lossPercent,
    lossChanged: snapshot.lossChanged,
    seed: snapshot.info.seed,
    totals: snapshot.runTotals,
    clients: final.clients.map((row) => rowRecord(row)),
    clientCount: snapshot.clientCount,
    resets: snapshot.resets,
    logPath,
  });
}
