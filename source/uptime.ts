/**
 * A span of time in whole seconds, as the dashboard's header writes uptime and the exit summary
 * its duration (one format for both): `12s`, `5m07s`, `1h02m03s`, `2d03h04m`. Negative spans
 * count as zero.
 */
export function formatUptime(ms: number): string {
  const seconds = Math.floor(Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (minutes === 0) {
    return `${seconds}s`;
  }

  if (hours === 0) {
    return `${minutes}m${pad2(seconds % 60)}s`;
  }

  if (days === 0) {
    return `${hours}h${pad2(minutes % 60)}m${pad2(seconds % 60)}s`;
  }

  return `${days}d${pad2(hours % 24)}h${pad2(minutes % 60)}m`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
