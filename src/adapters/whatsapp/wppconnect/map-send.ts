import { fromWhatsAppAck } from '../../../domain/chat/message-ack.js';
import { SendFailedError, SendOutcomeUnknownError, type SentMessage } from '../port.js';
import type { PageAnswer } from './send-in-page.js';

/** Maps what the page answered for a send that went out. */
export function toSentMessage(sent: Extract<PageAnswer, { ok: true }>, now = Date.now()): SentMessage {
  return {
    waMessageId: sent.id,
    ack: fromWhatsAppAck(sent.ack),
    timestamp: sent.t ?? Math.floor(now / 1000),
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
  /can_not_send_message_to_this_groupType/i,
  /type_not_valid_for_newsletter/i,
];

/** Turns a send the page did not complete into the error that says whether sending again is safe. */
export function toSendFailedError(failure: Extract<PageAnswer, { ok: false }>): SendFailedError {
  const { stage, message, code } = failure;
  if (stage === 'unknown') return new SendOutcomeUnknownError(`the send failed in WhatsApp Web: ${message}`);
  const permanent =
    stage === 'refused' &&
    permanentFailures.some((pattern) => pattern.test(message) || pattern.test(code ?? ''));
  return new SendFailedError(message, permanent);
}
