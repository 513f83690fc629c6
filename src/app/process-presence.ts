import { NoResponderError } from '../adapters/bus/bus-errors.js';
import { subjectToken, type Bus, type BusSubscription } from '../adapters/bus/port.js';

const subjectOf = (controlRoot: string, owner: string) => `${controlRoot}.presence.${subjectToken(owner)}`;

/**
 * Makes this process answer "are you there?" on its own control subject, for as long as it runs, and take free
 * sessions at once when another process asks it to (`{ "restore": true }`, after handing sessions over).
 */
export function servePresence(
  bus: Bus,
  controlRoot: string,
  owner: string,
  onRestoreAsked: () => void = () => undefined,
): Promise<BusSubscription> {
  return bus.serve(subjectOf(controlRoot, owner), (request) => {
    if (typeof request === 'object' && request !== null && 'restore' in request) onRestoreAsked();
    return Promise.resolve({ present: true });
  });
}

/** Asks the process named `owner` to take free sessions now; answers whether it heard. */
export async function askToRestore(bus: Bus, controlRoot: string, owner: string): Promise<boolean> {
  return bus.request(subjectOf(controlRoot, owner), { restore: true }, 2000).then(
    () => true,
    () => false,
  );
}

export interface AbsenceCheck {
  /** Times to ask; the process counts as gone only if nobody answered any of them. */
  attempts?: number;
  everyMs?: number;
  timeoutMs?: number;
}

/**
 * Whether the gateway process named `owner` is gone: its subscription left NATS with its connection, so a
 * request to it finds no responder, every time over a window longer than a live process takes to reconnect
 * (the bus reconnects every second). Any other failure (NATS itself out of reach, from here) proves nothing and
 * answers false.
 */
export async function processIsGone(
  bus: Bus,
  controlRoot: string,
  owner: string,
  check: AbsenceCheck = {},
): Promise<boolean> {
  const attempts = check.attempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await bus.request(subjectOf(controlRoot, owner), {}, check.timeoutMs ?? 1000);
      return false;
    } catch (error) {
      if (!(error instanceof NoResponderError)) return false;
    }
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, check.everyMs ?? 750));
  }
  return true;
}
