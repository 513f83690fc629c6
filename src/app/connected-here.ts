import type { RecordedEvent } from '../adapters/event-store/port.js';
import type { CommittedEventsListener } from './committed-events.js';

/** Session events after which a connection recorded earlier is over. */
const connectionEnded = new Set([
  'SessionDisconnected',
  'SessionStopped',
  'SessionFailed',
  'SessionMarkedDead',
  'SessionDeleted',
]);

/**
 * Calls `connectedHere` (with its SessionConnected) once for each connection of a session whose driver runs in this process: when its
 * SessionConnected is committed here and its driver has started. A restored login can report connected before
 * the driver's start has returned; then the call waits for the supervisor's "driver ready" notice. Answers the
 * function that stops watching.
 */
export function watchConnectedHere(
  committed: { listen(listener: CommittedEventsListener): () => void },
  supervisor: {
    driverSession(sessionId: string): unknown;
    onDriverReady(listener: (sessionId: string) => void): () => void;
  },
  connectedHere: (connected: RecordedEvent, sessionId: string) => void,
): () => void {
  /** Connected (its SessionConnected), its driver not started yet. */
  const awaitingDriver = new Map<string, RecordedEvent>();
  const stopListening = committed.listen((events) => {
    for (const event of events) {
      const { sessionId } = event.metadata as { sessionId?: string };
      if (!sessionId) continue;
      if (connectionEnded.has(event.type)) awaitingDriver.delete(sessionId);
      if (event.type !== 'SessionConnected') continue;
      if (supervisor.driverSession(sessionId) !== undefined) connectedHere(event, sessionId);
      else awaitingDriver.set(sessionId, event);
    }
  });
  const stopWaiting = supervisor.onDriverReady((sessionId) => {
    const connected = awaitingDriver.get(sessionId);
    if (!connected) return;
    awaitingDriver.delete(sessionId);
    connectedHere(connected, sessionId);
  });
  return () => {
    stopListening();
    stopWaiting();
  };
}
