import { NoResponderError } from '../adapters/bus/bus-errors.js';
import { subjectToken, type Bus, type BusSubscription } from '../adapters/bus/port.js';

const subjectOf = (controlRoot: string, owner: string) => `${controlRoot}.presence.${subjectToken(owner)}`;

/** Makes this process answer "are you there?" on its own control subject, for as long as it runs. */
export function servePresence(bus: Bus, controlRoot: string, owner: string): Promise<BusSubscription> {
  return bus.serve(subjectOf(controlRoot, owner), () => Promise.resolve({ present: true }));
}

export interface AbsenceCheck {
  /** Times to ask; the process counts as gone only if nobody answered any of them. */
  attempts?: number;
  everyMs?: number;
  timeoutMs?: number;
}

/**
 * Whether the gateway process named `owner` is gone: its subscription left NATS with its connection, so a
 * request to it finds no responder, several times in a row (a process that is only reconnecting answers again
 * within these). Any other failure (NATS itself unreachable) proves nothing and answers false.
 */
export async function processIsGone(
  bus: Bus,
  controlRoot: string,
  owner: string,
  check: AbsenceCheck = {},
): Promise<boolean> {
  const attempts = check.attempts ?? 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await bus.request(subjectOf(controlRoot, owner), {}, check.timeoutMs ?? 1000);
      return false;
    } catch (error) {
      if (!(error instanceof NoResponderError)) return false;
    }
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, check.everyMs ?? 500));
  }
  return true;
}
