import WebSocket from 'ws';

export interface MessageFrame {
  id: string;
  body: string;
  chatId: string;
}

/**
 * Opens one WebSocket per session id and calls `onMessage` with each `message` frame and when it arrived
 * (performance.now()). Resolves once every socket is open.
 */
export async function openFrameSockets(
  wsUrl: string,
  token: string,
  sessionIds: readonly string[],
  onMessage: (frame: MessageFrame, receivedAt: number) => void,
): Promise<{ close(): void }> {
  const sockets = await Promise.all(
    sessionIds.map(
      (id) =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(`${wsUrl}/ws/whatsapp/${id}?token=${token}`);
          socket.on('message', (raw: Buffer) => {
            const receivedAt = performance.now();
            const frame = JSON.parse(raw.toString()) as { type: string; data: MessageFrame };
            if (frame.type === 'message') onMessage(frame.data, receivedAt);
          });
          socket.once('open', () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  return { close: () => sockets.forEach((socket) => socket.terminate()) };
}
