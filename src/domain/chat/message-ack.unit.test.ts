import { describe, expect, it } from 'vitest';
import { ackMovesForward, fromWhatsAppAck, MessageAck } from './message-ack.js';

describe('message ack', () => {
  it.each([
    [-7, MessageAck.ERROR],
    [-1, MessageAck.ERROR],
    [0, MessageAck.PENDING],
    [1, MessageAck.SERVER],
    [2, MessageAck.DEVICE],
    [3, MessageAck.READ],
    [4, MessageAck.PLAYED],
    [5, MessageAck.PLAYED],
  ])('maps WhatsApp ack %i to %i', (whatsapp, gateway) => expect(fromWhatsAppAck(whatsapp)).toBe(gateway));

  it('moves forward only', () => {
    expect(ackMovesForward(MessageAck.SERVER, MessageAck.READ)).toBe(true);
    expect(ackMovesForward(MessageAck.READ, MessageAck.DEVICE)).toBe(false);
    expect(ackMovesForward(MessageAck.READ, MessageAck.READ)).toBe(false);
  });

  it('lets ERROR replace only a pending message', () => {
    expect(ackMovesForward(MessageAck.PENDING, MessageAck.ERROR)).toBe(true);
    expect(ackMovesForward(MessageAck.SERVER, MessageAck.ERROR)).toBe(false);
  });
});
