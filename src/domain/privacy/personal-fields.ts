/**
 * Which fields of which events are a contact's personal data, sealed with the contact's key before they are
 * stored (README, "Privacy: crypto-shredding"): what was written, names, files, and the phone numbers and ids
 * inside payloads (who sent, reacted or voted, to whom, who was mentioned). Everything else stays clear because
 * the gateway routes, orders and deduplicates by it: stream names and the chat's own id (`chatJid`), WhatsApp
 * ids, types, times, acks, the MIME type and size of a file and its SHA-256 (the content address the media
 * store deduplicates by; the bytes themselves are deleted on erasure).
 *
 * Each sealed field has the value it reads as once its key is destroyed: null where the event's schema allows
 * it, otherwise the empty value of its type, so that an erased event still parses for deciders and projectors.
 */
export type ErasedValue = null | '' | [];

/** A field's path in the event's data: a top-level key, or a key inside `media`. */
export interface PersonalField {
  path: readonly [string] | readonly ['media', string];
  erased: ErasedValue;
  /** Whether this event's value is personal; absent, it always is. */
  personalIn?: (data: { readonly [key: string]: unknown }) => boolean;
}

const top = (key: string, erased: ErasedValue = null): PersonalField => ({ path: [key], erased });
const ofMedia = (key: string): PersonalField => ({ path: ['media', key], erased: null });
/** A sender's id is a contact's only when a contact sent it: the session's own number is not personal data. */
const ofContact = (field: PersonalField): PersonalField => ({
  ...field,
  personalIn: (data) => data.fromMe !== true,
});

const mediaReferences = [
  'caption',
  'fileName',
  'location',
  'mediaKey',
  'directPath',
  'deprecatedMms3Url',
].map(ofMedia);

export const personalFields: Readonly<Record<string, readonly PersonalField[]>> = {
  MessageReceived: [
    ofContact(top('from', '')),
    ofContact(top('senderPhone')),
    ofContact(top('senderLid')),
    top('mentionedJidList', []),
    top('body', ''),
    top('senderName'),
    top('chatName'),
    top('location'),
    top('vcardList', []),
    top('poll'),
    ...mediaReferences,
  ],
  MessageSendRequested: [
    top('body', ''),
    top('mentions', []),
    top('location'),
    top('poll'),
    ...mediaReferences,
  ],
  MessageEdited: [top('body', '')],
  MessageReacted: [top('from', ''), top('emoji', '')],
  PollVoted: [top('from', ''), top('selectedOptions', [])],
  ContactNamed: [top('name', '')],
  IncomingCallReceived: [top('from', '')],
  ContactLidMapped: [top('phoneJid', '')],
};

/**
 * Events that keep, beside their sealed phone number, the contact's keyed hash (domain/privacy/contact-hash.ts) in
 * clear: once the number is sealed, and after its erasure, that hash is what ties a linked-device id to the
 * contact (app/privacy/contact-lids.ts, late-lid-mappings.ts).
 */
export const contactHashedEvents: ReadonlySet<string> = new Set(['ContactLidMapped']);
