/**
 * `--client-key`: `address` tells clients apart by address and port, `host` by address alone,
 * `name` by the name their heartbeats carry (and by address and port those that carry none).
 */
export type ClientKeyMode = 'address' | 'host' | 'name';

export const clientKeyModes: readonly ClientKeyMode[] = [
  'address',
  'host',
  'name',
];

/** An IPv4 address written as IPv4-mapped IPv6, as a dual-stack socket reports IPv4 senders. */
const ipv4Mapped = /^(?:::|(?:0{1,4}:){5})ffff:(\d{1,3}(?:\.\d{1,3}){3})$/iv;

/** The address as a user reads it: IPv4-mapped IPv6 (`::ffff:192.0.2.7`, any case) becomes plain IPv4. */
export function displayAddress(address: string): string {
  // Cheap test first: only addresses that start with `:` or `0` can be mapped.
  const first = address.codePointAt(0);
  if (first !== 58 /* : */ && first !== 48 /* 0 */) {
    return address;
  }

  const match = ipv4Mapped.exec(address);
  return match === null ? address : match[1]!;
}

/** A client's display key: `192.0.2.7:5000`, `[2001:db8::1]:5000`. */
export function clientKey(address: string, port: number): string {
  const shown = displayAddress(address);
  // join() builds one flat string (40 bytes for an IPv4 key) where a template literal keeps its
  // pieces (about 100): the key lives as long as the client, and there may be 100000 of them.
  return shown.includes(':')
    ? ['[', shown, ']:', port].join('')
    : [shown, ':', port].join('');
}

/**
 * A client's display key under `--client-key host`: the address alone (`192.0.2.7`,
 * `2001:db8::1`), for clients that open a new socket, and so a new port, for every heartbeat.
 */
export function hostKey(address: string): string {
  return displayAddress(address);
}
