import type { Page } from 'puppeteer';
import { SendOutcomeUnknownError, type OutgoingMedia, type SentMessage, type TextOptions } from '../port.js';
import { toSendFailedError, toSentMessage } from './map-send.js';
import { sendInPage, type PageSend } from './send-in-page.js';
import { TimedOutError, withTimeout } from './with-timeout.js';

// WA-JS waits for WhatsApp's server to take the message; a phone or a socket that hangs must not hold the
// outbox forever.
const defaultSendMs = 60_000;

/**
 * Sends a text in one call into the page. A refusal becomes a SendFailedError (permanent when the address
 * cannot receive it); a failure that may have come after the message left, a SendOutcomeUnknownError.
 */
export function sendText(
  page: Page,
  to: string,
  text: string,
  options: TextOptions = {},
  ms = defaultSendMs,
): Promise<SentMessage> {
  const { quotedMessageId, mentions } = options;
  const extras = {
    ...(quotedMessageId ? { quotedMsg: quotedMessageId } : {}),
    ...(mentions?.length ? { mentionedList: [...mentions] } : {}),
  };
  return send(
    page,
    { kind: 'text', to, text, ...(Object.keys(extras).length ? { options: extras } : {}) },
    ms,
  );
}

/** Sends anything else the page can send (a poll, a location, a change to a message), in one call. */
export function sendInOneCall(page: Page, request: PageSend, ms = defaultSendMs): Promise<SentMessage> {
  return send(page, request, ms);
}

/** Sends a file as a data URL; WhatsApp Web picks image, video, audio or document from its type. */
export function sendMedia(
  page: Page,
  to: string,
  media: OutgoingMedia,
  ms = defaultSendMs,
): Promise<SentMessage> {
  const options = {
    type: 'auto-detect' as const,
    mimetype: media.mimetype,
    ...(media.fileName ? { filename: media.fileName } : {}),
    ...(media.caption ? { caption: media.caption } : {}),
  };
  const dataUrl = `data:${media.mimetype};base64,${media.data.toString('base64')}`;
  return send(page, { kind: 'file', to, dataUrl, options }, ms);
}

async function send(page: Page, request: PageSend, ms: number): Promise<SentMessage> {
  const answer = await withTimeout(
    Promise.resolve().then(() => page.evaluate(sendInPage, request)),
    ms,
    () => new TimedOutError('Sending', ms),
  ).catch((error: unknown) => {
    const reason =
      error instanceof TimedOutError
        ? `WhatsApp did not answer the send within ${ms} ms`
        : `the page failed during the send: ${error instanceof Error ? error.message : String(error)}`;
    throw new SendOutcomeUnknownError(reason, { cause: error });
  });
  if (!answer.ok) throw toSendFailedError(answer);
  return toSentMessage(answer);
}
