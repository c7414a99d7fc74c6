import {lstat, mkdir, unlink} from 'node:fs/promises';
import {connect} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';

/** The control socket cannot be used: one line for the user and the exit code to leave with. */
export class ControlPathError extends Error {
  override readonly name = 'ControlPathError';
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Longest path a Unix domain socket may have on Linux (sun_path less its terminating NUL). */
const maxSocketPathBytes = 107;

function userId(): number {
  return process.getuid?.() ?? 0;
}

/**
 * Where the control socket of the server on `port` lives when `--control` names no path:
 * `$XDG_RUNTIME_DIR/udp-heartbeat/PORT.sock`, else a directory of this user's own under the
 * system's temporary folder. `attach PORT` finds it the same way.
 */
export function defaultControlPath(
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const runtime = env.XDG_RUNTIME_DIR;
  const directory =
    runtime !== undefined && runtime !== '' && path.isAbsolute(runtime)
      ? path.join(runtime, 'udp-heartbeat')
      : path.join(tmpdir(), `udp-heartbeat-${userId()}`);
  return path.join(directory, `${port}.sock`);
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }

  const {code} = error as NodeJS.ErrnoException;
  return code === undefined
    ? error.message
    : `${error.message.split(',')[0]} (${code})`;
}

/**
 * Makes sure the socket's directory exists (created 0700) and that only its owner, this user, can
 * enter it: nobody else may connect to the socket, replace it, or put another in its place.
 */
export async function prepareControlDirectory(
  socketPath: string,
): Promise<void> {
  if (Buffer.byteLength(socketPath) > maxSocketPathBytes) {
    throw new ControlPathError(
      `--control: ${JSON.stringify(socketPath)} is too long for a Unix socket (at most ${maxSocketPathBytes} bytes)`,
      2,
    );
  }

  const directory = path.dirname(path.resolve(socketPath));
  try {
    await mkdir(directory, {recursive: true, mode: 0o700});
  } catch (error) {
    throw new ControlPathError(
      `--control: cannot create the directory ${JSON.stringify(directory)}: ${reasonOf(error)}`,
      2,
    );
  }

  const stats = await lstat(directory);
  if (!stats.isDirectory()) {
    throw new ControlPathError(
      `--control: ${JSON.stringify(directory)} is not a directory (a symbolic link is not trusted)`,
      2,
    );
  }

  if (stats.uid !== userId()) {
    throw new ControlPathError(
      `--control: the directory ${JSON.stringify(directory)} belongs to another user (uid ${stats.uid}); use a directory of your own`,
      2,
    );
  }

  if ((stats.mode & 0o077) !== 0) {
    throw new ControlPathError(
      `--control: others can enter the directory ${JSON.stringify(directory)} (mode ${(stats.mode & 0o777).toString(8)}); use one only you can enter (chmod 700)`,
      2,
    );
  }
}

/** Whether something answers on the socket at `socketPath`. */
async function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => {
      resolve(false);
    });
  });
}

/**
 * Clears the way for a new socket at `socketPath`: a socket that a live server holds is refused
 * (exit 1), a stale one (its server died) is removed, anything that is not a socket is left alone
 * and refused (exit 2).
 */
export async function clearStaleSocket(socketPath: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(socketPath);
  } catch {
    return;
  }

  if (!stats.isSocket()) {
    throw new ControlPathError(
      `--control: ${JSON.stringify(socketPath)} exists and is not a socket; it is left alone`,
      2,
    );
  }

  if (await answers(socketPath)) {
    throw new ControlPathError(
      `--control: a running server already holds ${JSON.stringify(socketPath)}; stop it or pick another path`,
      1,
    );
  }

  await unlink(socketPath).catch(() => undefined);
}
