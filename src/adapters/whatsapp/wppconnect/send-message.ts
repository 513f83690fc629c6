import type { OutgoingMedia, SentMessage } from '../port.js';
import { toSendFailedError, toSentMessage } from './map-send.js';
import { TimedOutError, withTimeout } from './with-timeout.js';
import type { WppClient } from './wpp-client.js';

// WPPConnect waits for WhatsApp's server to take the message; a phone or a socket that hangs must not hold
// the outbox forever.
const sendMs = 60_000;

/** Sends a text; any failure becomes a SendFailedError, permanent when the address cannot receive it. */
export function sendText(client: WppClient, to: string, text: string): Promise<SentMessage> {
  return sent(() => client.sendText(to, text));
}

/** Sends a file as a data URL; WhatsApp Web picks image, video, audio or document from its type. */
export function sendMedia(client: WppClient, to: string, media: OutgoingMedia): Promise<SentMessage> {
  return sent(() =>
    client.sendFile(to, `data:${media.mimetype};base64,${media.data.toString('base64')}`, {
      type: 'auto-detect',
      mimetype: media.mimetype,
      filename: media.fileName ?? undefined,
      caption: media.caption ?? undefined,
    }),
  );
}

async function sent(sending: () => Promise<unknown>): Promise<SentMessage> {
  try {
    return toSentMessage(await withTimeout(sending(), sendMs, () => new TimedOutError('Sending', sendMs)));
  } catch (error) {
    throw toSendFailedError(error);
  }
}
