/*
Headless JSON lines as tests read them. Since version 2 of the line format, `detail` is an object of
typed fields; tests that match the detail as the text and CSV outputs write it (`k=v;k=v`) read it
back as that text here.
*/

/** A JSON line's detail object as `k=v;k=v` text again: free text first, flags bare. */
export function detailText(detail: unknown): string | null {
  if (detail === null || typeof detail !== 'object') {
    return null;
  }

  return Object.entries(detail as Record<string, unknown>)
    .map(([key, value]) =>
      key === 'message'
        ? String(value)
        : value === true
          ? key
          : `${key}=${String(value)}`,
    )
    .join(';');
}

/** One JSON line of headless output, its detail as `k=v` text. */
export function parseEventLine<T>(line: string): T {
  const parsed = JSON.parse(line) as Record<string, unknown>;
  parsed.detail = detailText(parsed.detail);
  return parsed as T;
}
