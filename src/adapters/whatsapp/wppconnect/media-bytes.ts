import { MediaUnavailableError } from '../port.js';

/** The bytes of WPPConnect's `downloadMedia` answer: a data URL, or bare base64; anything else has no file. */
export function bytesOfDataUrl(waMessageId: string, answer: unknown): Buffer {
  if (typeof answer !== 'string' || answer.length === 0)
    throw new MediaUnavailableError(waMessageId, 'WhatsApp returned no file for the message');
  const comma = answer.startsWith('data:') ? answer.indexOf(',') : -1;
  return Buffer.from(comma >= 0 ? answer.slice(comma + 1) : answer, 'base64');
}
