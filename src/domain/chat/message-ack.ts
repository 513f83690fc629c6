/** Delivery status of a message, as the Messages table and the API store it. */
export const MessageAck = { ERROR: 0, PENDING: 1, SERVER: 2, DEVICE: 3, READ: 4, PLAYED: 5 } as const;
export type MessageAckValue = (typeof MessageAck)[keyof typeof MessageAck];

/**
 * WhatsApp numbers acks one lower than the gateway (-1 error, 0 pending … 4 played); WPPConnect also reports
 * other negative codes for kinds of failure, which all mean ERROR here.
 */
export function fromWhatsAppAck(whatsappAck: number): MessageAckValue {
  if (whatsappAck < 0) return MessageAck.ERROR;
  return Math.min(whatsappAck + 1, MessageAck.PLAYED) as MessageAckValue;
}

/**
 * A status never moves backwards, whatever order acks arrive in. ERROR is the lowest number but only
 * replaces a message that had not reached WhatsApp's server yet.
 */
export function ackMovesForward(current: MessageAckValue | null, next: MessageAckValue): boolean {
  if (current === null) return true;
  if (next === MessageAck.ERROR) return current === MessageAck.PENDING;
  return next > current;
}
