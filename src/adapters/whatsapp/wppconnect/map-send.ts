import { fromWhatsAppAck } from '../../../domain/chat/message-ack.js';
import { SendFailedError, type SentMessage } from '../port.js';
import { isFields, numberField, serializedId, stringField } from './wpp-values.js';

/** Maps what `sendText` (the sent message) or `sendFile` (`{ id, ack }`) answers. */
export function toSentMessage(result: unknown, now = Date.now()): SentMessage {
  const waMessageId = isFields(result) ? serializedId(result['id']) : null;
  if (!waMessageId) throw new SendFailedError('WhatsApp did not return the id of the sent message', false);
  return {
    waMessageId,
    ack: fromWhatsAppAck(numberField(result, 'ack') ?? 0),
    timestamp: numberField(result, 't') ?? Math.floor(now / 1000),
  };
}

// WA-JS's errors for an address that is not (or cannot be) on WhatsApp: retrying cannot help.
const permanentFailures = [
  /invalid[ _]?wid/i,
  /wid[ _]?error/i,
  /invalid[ _]?(phone[ _]?)?number/i,
  /not[ _]on[ _]whatsapp/i,
  /chat[ _]not[ _]found/i,
  /chat \S+ not found/i,
  /number[ _]?(does[ _]?not|doesn't|not)[ _]?exist/i,
  /not[ _]exists?/i,
  /contact[ _]not[ _]found/i,
  /number_is_not_your_contact/i,
];

/** Turns whatever a send threw (an Error from the page, or WPPConnect's `{ erro: true, text }`) into a SendFailedError. */
export function toSendFailedError(error: unknown): SendFailedError {
  if (error instanceof SendFailedError) return error;
  const reason = reasonOf(error);
  const code = stringField(error, 'code') ?? '';
  const permanent = permanentFailures.some((pattern) => pattern.test(reason) || pattern.test(code));
  return new SendFailedError(reason, permanent, { cause: error });
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return (
    stringField(error, 'message') ??
    stringField(error, 'text') ??
    (typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)))
  );
}
