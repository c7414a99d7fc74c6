import {setTimeout as delay} from 'node:timers/promises';

/** Polls until the condition holds, or fails with the message after the deadline. Never a fixed sleep. */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  {timeoutMs = 5000, intervalMs = 10, message = 'condition'} = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) {
      return value;
    }

    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
    }

    await delay(intervalMs);
  }
}
