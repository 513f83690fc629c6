import type { Frame } from './types.js';

/**
 * The gateway closes a socket with 1008 when its token expires (reason "Token expired") and when its session is
 * deleted; either way, opening it again would not help.
 */
const policyViolation = 1008;
const maxBackoffMs = 15_000;

export interface LiveSocketHandlers {
  onFrame: (frame: Frame) => void;
  onTokenRefused: () => void;
  /** The session is gone (deleted) or no longer the user's to watch. */
  onClosedForGood: () => void;
}

/**
 * The WebSocket of one session, kept open (reconnecting with backoff) until the returned function is called.
 * The token travels in `Sec-WebSocket-Protocol` (`bearer, <JWT>`), never in the URL, which ends up in logs.
 */
export function openLiveSocket(sessionId: string, token: string, handlers: LiveSocketHandlers): () => void {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/ws/whatsapp/${encodeURIComponent(sessionId)}`;
  let socket: WebSocket | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;

  const connect = () => {
    socket = new WebSocket(url, ['bearer', token]);
    socket.onopen = () => {
      failures = 0;
    };
    socket.onmessage = (event: MessageEvent<string>) => {
      try {
        handlers.onFrame(JSON.parse(event.data) as Frame);
      } catch {
        // Not JSON: nothing the console can show.
      }
    };
    socket.onclose = (event) => {
      if (closed) return;
      if (event.code === policyViolation)
        return event.reason === 'Token expired' ? handlers.onTokenRefused() : handlers.onClosedForGood();
      failures += 1;
      const delay = Math.min(maxBackoffMs, 500 * 2 ** Math.min(failures, 5)) * (0.5 + Math.random() / 2);
      retry = setTimeout(connect, delay);
    };
  };
  connect();
  return () => {
    closed = true;
    if (retry) clearTimeout(retry);
    socket?.close();
  };
}
