import { nameBasedUuid } from '../domain/deterministic-id.js';
import type { Media } from '../domain/chat/chat-events.js';

/** A client is one WhatsApp number within one company, whichever session it wrote to. */
export const clientIdFor = (companyId: string, waNumber: string): string =>
  nameBasedUuid('client', companyId, waNumber);

/** The phone number of an individual chat (`5511…@c.us`); groups and linked-device ids have none. */
export function individualNumber(jid: string): string | null {
  return jid.endsWith('@c.us') ? jid.slice(0, -'@c.us'.length) : null;
}

/** What a chat list shows as the last message: the text, or the kind of media and its caption. */
export function messagePreview(type: string, body: string, media: Media | null): string {
  if (!media) return body.slice(0, 200);
  const caption = media.caption ? ` ${media.caption}` : '';
  return `[${type}]${caption}`.slice(0, 200);
}

export const fromUnixSeconds = (seconds: number): Date => new Date(seconds * 1000);
