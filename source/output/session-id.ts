import {randomBytes} from 'node:crypto';

/**
 * A short id for one server run (8 hex digits). Every event of the run carries it, so runs that
 * append to the same CSV log can be told apart.
 */
export function newSessionId(): string {
  return randomBytes(4).toString('hex');
}
