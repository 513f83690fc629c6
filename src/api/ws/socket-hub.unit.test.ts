import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../adapters/bus/memory-bus.js';
import type { RecordedEvent } from '../../adapters/event-store/port.js';
import { silentLogger } from '../../logger.js';
import { createSocketHub } from './socket-hub.js';

const sessionId = 'b9a0d7a2-44a4-4fd4-9b7f-1f7f5c3c0a10';

function fakeSocket() {
  const frames: { type: string; data: { status?: string } }[] = [];
  const socket = Object.assign(new EventEmitter(), {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    send: (text: string) => frames.push(JSON.parse(text) as (typeof frames)[number]),
    close: () => undefined,
  });
  return { socket: socket as unknown as WebSocket, frames };
}

let position = 0n;
function sessionEvent(type: string, data: Record<string, string | number> = {}): RecordedEvent {
  position += 1n;
  return {
    id: `event-${position}`,
    type,
    streamName: `session-${sessionId}`,
    revision: position,
    position,
    checkpoint: String(position),
    data,
    metadata: { companyId: 'acme', sessionId },
    recordedAt: new Date(),
  };
}

describe('the WebSocket hub', () => {
  it('sends a session’s frames in the order of their events, though a QR code takes longer to draw', async () => {
    const hub = createSocketHub(createMemoryBus(), 'wa.>', silentLogger);
    const { socket, frames } = fakeSocket();
    hub.add(
      sessionId,
      socket,
      { type: 'status', data: { sessionId, status: 'qr', isConnected: false } },
      {
        maySeeQrCodes: true,
      },
    );
    hub.handOver([
      sessionEvent('QrCodeIssued', { qrCode: `2@${'x'.repeat(200)}`, attempt: 1 }),
      sessionEvent('SessionConnected', { waId: '5511999999999@c.us' }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(frames.map((frame) => frame.data.status)).toEqual(['qr', 'qr', 'connected']);
  });
});
