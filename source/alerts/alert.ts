import type {AlertState} from '../config/fleet-options.js';
import type {HeartbeatEvent, Liveness} from '../vocabulary.js';

/** One state change as the hooks receive it: the environment of `--on-change`, the body of `--webhook`. */
export type Alert = {
  readonly event: AlertState;
  readonly client: string;
  /** The name the client's heartbeats give it, if any. */
  readonly name?: string | undefined;
  readonly state: Liveness;
  readonly previousState: Liveness;
  /** How long the client had been silent when the state changed, in milliseconds. */
  readonly silentMs: number;
  /** ISO 8601 with milliseconds. */
  readonly time: string;
  readonly session: string;
};

function isAlertState(name: string): name is AlertState {
  return name === 'late' || name === 'stopped' || name === 'resumed';
}

/** The state a client leaves when it becomes `state`, where the event does not say. */
const usualPrevious: Readonly<Record<AlertState, Liveness>> = {
  late: 'alive',
  stopped: 'late',
  resumed: 'stopped',
};

/** The alert an event raises, or undefined for events that are no state change of a client. */
export function alertFromEvent(
  event: HeartbeatEvent,
  session: string,
  formatTime: (ms: number) => string,
): Alert | undefined {
  const name = event.event;
  if (!isAlertState(name) || event.client === undefined) {
    return undefined;
  }

  return {
    event: name,
    client: event.client,
    ...(event.name === undefined ? {} : {name: event.name}),
    state: event.state ?? (name === 'resumed' ? 'alive' : name),
    previousState: event.previousState ?? usualPrevious[name],
    silentMs: Math.round(event.silentMs ?? 0),
    time: formatTime(event.time),
    session,
  };
}

/** The environment `--on-change` runs with: the client's details, never in the command's text. */
export function alertEnvironment(alert: Alert): Record<string, string> {
  return {
    HEARTBEAT_EVENT: alert.event,
    HEARTBEAT_CLIENT: alert.client,
    // The client's own text: an environment variable, never part of the command line.
    ...(alert.name === undefined ? {} : {HEARTBEAT_NAME: alert.name}),
    HEARTBEAT_STATE: alert.state,
    HEARTBEAT_PREVIOUS_STATE: alert.previousState,
    HEARTBEAT_SILENT_MS: String(alert.silentMs),
    HEARTBEAT_TIME: alert.time,
    HEARTBEAT_SESSION: alert.session,
  };
}

/** The JSON object `--webhook` posts: the same details as the environment. */
export function alertBody(alert: Alert): string {
  return JSON.stringify({
    event: alert.event,
    client: alert.client,
    ...(alert.name === undefined ? {} : {name: alert.name}),
    state: alert.state,
    previous_state: alert.previousState,
    silent_ms: alert.silentMs,
    time: alert.time,
    session: alert.session,
  });
}
