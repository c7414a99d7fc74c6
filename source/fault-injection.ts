import process from 'node:process';

/**
 * Faults the tests inject into the built CLI, named in `UDP_HEARTBEAT_FAULT`: `engine` makes the
 * engine's thread throw once it has seen three heartbeats; `render` makes the dashboard throw
 * once it shows a client. Not documented for users: it exists to prove the failure paths.
 */
export type Fault = 'engine' | 'render';

export function faultInjected(fault: Fault): boolean {
  return (process.env.UDP_HEARTBEAT_FAULT ?? '').split(',').includes(fault);
}
