import {lookup} from 'node:dns/promises';
import {isIP} from 'node:net';

/** Where heartbeats go: one address, resolved once. */
export type Target = {
  /** As the user wrote it, for headers and messages. */
  readonly host: string;
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
};

/** A run that cannot start (a host that does not resolve, no socket): a line, not a stack trace. */
export class ClientSetupError extends Error {
  override readonly name = 'ClientSetupError';
  /** 2 when a flag's value is at fault (a host that does not resolve), as ping exits; else 1. */
  readonly exitCode: 1 | 2;

  constructor(message: string, exitCode: 1 | 2 = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A system error's code (`ECONNREFUSED`, `ENOTFOUND`), or its message when it has none. */
export function errorCode(error: unknown): string {
  if (error instanceof Error) {
    return 'code' in error && typeof error.code === 'string'
      ? error.code
      : error.message;
  }

  return String(error);
}

/** `127.0.0.1:12000`, or `[::1]:12000` for IPv6. */
export function formatEndpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Resolves the host once. IPv4 is preferred when a name has both, because the server listens on
 * 0.0.0.0 by default and `localhost` often resolves to ::1 first.
 */
export async function resolveTarget(
  host: string,
  port: number,
): Promise<Target> {
  const literal = isIP(host);
  if (literal !== 0) {
    return {host, address: host, family: literal === 6 ? 6 : 4, port};
  }

  let addresses: Array<{address: string; family: number}>;
  try {
    addresses = await lookup(host, {all: true});
  } catch (error) {
    throw new ClientSetupError(
      `--host: cannot resolve ${JSON.stringify(host)} (${errorCode(error)}); expected a host name that resolves, or an IPv4 or IPv6 address`,
      2,
    );
  }

  const chosen = addresses.find((entry) => entry.family === 4) ?? addresses[0];
  if (chosen === undefined) {
    throw new ClientSetupError(
      `--host: cannot resolve ${JSON.stringify(host)} (no address); expected a host name that resolves, or an IPv4 or IPv6 address`,
      2,
    );
  }

  return {
    host,
    address: chosen.address,
    family: chosen.family === 6 ? 6 : 4,
    port,
  };
}
