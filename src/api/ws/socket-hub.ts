import type { WebSocket } from 'ws';
import type { Bus, BusMessage, BusSubscription } from '../../adapters/bus/port.js';
import type { RecordedEvent } from '../../adapters/event-store/port.js';
import { busMessageOf } from '../../app/bus-message-of.js';
import type { Logger } from '../../logger.js';
import { frameFor, type Frame } from './event-frames.js';

/** A socket may fall this far behind (bytes not yet sent) before it is closed as too slow. */
export const maxBufferedBytes = 1024 * 1024;
export const slowConsumerCloseCode = 1013;
/** Closes a socket whose session was deleted or whose token expired. */
export const policyViolationCloseCode = 1008;

/** How many recent event ids the hub remembers, to drop the bus's copy of an event handed over already. */
const rememberedEvents = 20_000;

/**
 * This process's WebSocket clients, by session. Events this process stored are handed over as they commit;
 * one bus subscription brings the others' (and a second copy of this process's, which is dropped). Each client
 * receives only the frames of the session it opened, and one that cannot keep up is closed rather than let
 * memory grow.
 */
export function createSocketHub(bus: Bus, pattern: string, logger: Logger) {
  const sockets = new Map<string, Set<WebSocket>>();
  const seen = new Set<string>();
  /** Sockets whose user may not see QR codes (AGENT): a QR code links the company's number to a phone. */
  const withoutQr = new WeakSet<WebSocket>();
  /** Per session, the last frame on its way: each frame goes out after the one before it. */
  const inFlight = new Map<string, Promise<void>>();
  let subscription: BusSubscription | undefined;

  function send(socket: WebSocket, frame: Frame): void {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > maxBufferedBytes) {
      socket.close(slowConsumerCloseCode, 'Client too slow: frames are not being read');
      return;
    }
    socket.send(JSON.stringify(frame));
  }

  /** Whether the event is new to this hub (remembering it when it is). */
  function firstTime(eventId: string): boolean {
    if (seen.has(eventId)) return false;
    seen.add(eventId);
    if (seen.size > rememberedEvents) seen.delete(seen.values().next().value!);
    return true;
  }

  function dispatch(message: BusMessage): void {
    if (!firstTime(message.eventId)) return;
    const listeners = sockets.get(message.sessionId);
    if (!listeners?.size) return;
    if (message.type === 'SessionDeleted') {
      for (const socket of listeners) socket.close(policyViolationCloseCode, 'Session deleted');
      return;
    }
    // A QR code's frame takes a moment to draw: the frames after it wait, so that a client never sees the QR
    // code again after the connection it led to.
    const built = frameFor(message);
    // Handled below, in turn; until then its rejection must not count as unhandled.
    built.catch(() => undefined);
    const previous = inFlight.get(message.sessionId) ?? Promise.resolve();
    const delivered = previous
      .then(() => built)
      .then((frame) => {
        if (frame)
          listeners.forEach((socket) => send(socket, withoutQr.has(socket) ? withoutQrCode(frame) : frame));
      })
      .catch((error: unknown) =>
        logger.error({ err: error, eventId: message.eventId }, 'Could not send a WebSocket frame'),
      );
    inFlight.set(message.sessionId, delivered);
    void delivered.finally(() => {
      if (inFlight.get(message.sessionId) === delivered) inFlight.delete(message.sessionId);
    });
  }

  return {
    async start(): Promise<void> {
      subscription = await bus.subscribe(pattern, dispatch);
    },

    /** Events this process has just stored: their frames go out now, without waiting for the bus. */
    handOver(events: readonly RecordedEvent[]): void {
      for (const event of events) dispatch(busMessageOf(event));
    },

    add(sessionId: string, socket: WebSocket, greeting: Frame, options: { maySeeQrCodes: boolean }): void {
      if (!options.maySeeQrCodes) withoutQr.add(socket);
      const listeners = sockets.get(sessionId) ?? new Set();
      sockets.set(sessionId, listeners.add(socket));
      send(socket, greeting);
      socket.once('close', () => {
        listeners.delete(socket);
        if (listeners.size === 0) sockets.delete(sessionId);
      });
    },

    clientCount: (): number => [...sockets.values()].reduce((n, set) => n + set.size, 0),

    async stop(): Promise<void> {
      await subscription?.unsubscribe();
      for (const listeners of sockets.values())
        for (const socket of listeners) socket.close(1001, 'Gateway shutting down');
      sockets.clear();
    },
  };
}

export type SocketHub = ReturnType<typeof createSocketHub>;

function withoutQrCode(frame: Frame): Frame {
  if (frame.type !== 'status_change' || frame.data.qrCode === undefined) return frame;
  const { qrCode: _hidden, ...data } = frame.data;
  return { ...frame, data };
}
