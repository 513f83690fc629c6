import { contactOfStream } from '../../domain/privacy/contact-of-stream.js';
import { contactHashedEvents } from '../../domain/privacy/personal-fields.js';
import {
  contactOfEvent,
  sealingParts,
  type EditedMessageAuthor,
} from '../../domain/privacy/sealing-parts.js';
import {
  erasedData,
  mergePersonal,
  sealedKey,
  splitPersonal,
  type JsonData,
} from '../../domain/privacy/sealed-data.js';
import type { EventToAppend, RecordedEvent } from '../event-store/port.js';
import { openBytes, sealBytes } from './aes-gcm.js';
import type { ContactKeyStore } from './contact-key-store.js';

/**
 * How a stored event keeps its personal fields: the key's id, the fields' paths, and the sealed JSON. An event
 * sealed under more than one key (a group's message: its author's and the group's) keeps a list of them.
 */
interface SealedFields {
  k: string;
  f: string[];
  c: string;
}

/** A sealed event whose key exists but whose ciphertext does not open: it was changed after it was stored. */
export class SealedEventUnreadableError extends Error {
  override readonly name = 'SealedEventUnreadableError';

  constructor(
    readonly eventId: string,
    readonly streamName: string,
  ) {
    super(`The sealed fields of event ${eventId} in ${streamName} do not open: the stored event was altered`);
  }
}

// The ciphertext belongs to one event of one stream: moved to another, it does not open.
const aadOf = (streamName: string, eventId: string) => `${streamName}|${eventId.toLowerCase()}`;

/** Who wrote a group message of a session, by its WhatsApp id, where the gateway knows it. */
export type EditedMessageAuthors = (
  sessionId: string,
  waMessageId: string,
) => Promise<EditedMessageAuthor | undefined>;

/**
 * Seals and opens the personal fields of events (domain/privacy/personal-fields.ts) with their contact's key:
 * what the store keeps is the clear rest of the event plus `$sealed`; what readers get back is the event as it
 * was appended, or, once the contact's key is destroyed, the event with its personal fields erased. An edit in
 * a group is sealed under the key of the edited message's author, which `authors` looks up (without it, or
 * when the message is not known yet, under the group's key). The events that name a contact by phone number
 * outside its chat (a linked-device id's mapping) keep its keyed hash in clear, from `hashContact`.
 */
/** A contact's keyed hash in one company (domain/privacy/contact-hash.ts, under the store's erasure salt). */
export type ContactHasher = (companyId: string, phone: string) => string;

export function eventCodec(
  keys: ContactKeyStore,
  authors?: EditedMessageAuthors,
  hashContact?: ContactHasher,
) {
  /** The author of the message a group edit changes; undefined for any other event. */
  const editedAuthorOf = async (contact: string, event: EventToAppend) => {
    const { sessionId } = event.metadata;
    const { waMessageId } = event.data;
    if (!authors || event.type !== 'MessageEdited' || !contact.startsWith('group:')) return undefined;
    if (typeof sessionId !== 'string' || typeof waMessageId !== 'string') return undefined;
    return authors(sessionId, waMessageId);
  };
  return {
    /** The events as they are to be stored. */
    async seal(streamName: string, events: readonly EventToAppend[]): Promise<EventToAppend[]> {
      const streamContact = contactOfStream(streamName);
      const sealed: EventToAppend[] = [];
      for (const event of events) {
        const split = splitPersonal(event.type, event.data);
        const companyId = event.metadata.companyId;
        // A chat's events go under its contact's key; a session's (a call) under the contact the event names.
        const contact = streamContact ?? (split && contactOfEvent(event.type, event.data));
        if (!split || !contact || typeof companyId !== 'string') {
          sealed.push(event);
          continue;
        }
        if (hashContact && contactHashedEvents.has(event.type))
          split.clear.contactHash = hashContact(companyId, contact);
        const blobs: SealedFields[] = [];
        const editedAuthor = await editedAuthorOf(contact, event);
        const parts = sealingParts(contact, event.type, event.data, split.personal, editedAuthor);
        if (parts.length > 2)
          await keys.prepare(
            companyId,
            parts.map((part) => part.contact),
          );
        for (const part of parts) {
          const { keyId, key } = await keys.keyFor(companyId, part.contact);
          const plaintext = Buffer.from(JSON.stringify(part.personal), 'utf8');
          blobs.push({
            k: keyId,
            f: Object.keys(part.personal),
            c: sealBytes(key, plaintext, aadOf(streamName, event.id)).toString('base64'),
          });
        }
        const stored = blobs.length === 1 ? { ...blobs[0]! } : blobs.map((blob) => ({ ...blob }));
        sealed.push({ ...event, data: { ...split.clear, [sealedKey]: stored } });
      }
      return sealed;
    },

    /** The events as readers see them: opened, or erased where the key is gone. */
    async open(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
      const keyIds = events.flatMap((event) => sealedFieldsOf(event).map((blob) => blob.k));
      if (keyIds.length === 0) return [...events];
      const found = await keys.keysById(keyIds);
      return events.map((event) => {
        const blobs = sealedFieldsOf(event);
        if (blobs.length === 0) return event;
        const { [sealedKey]: _sealed, ...clear } = event.data;
        // Every part's fields, merged back in one pass (a large group's members are as many parts).
        const opened: JsonData = {};
        const erasedFields: string[] = [];
        for (const blob of blobs) {
          const key = found.get(blob.k);
          if (!key) {
            erasedFields.push(...blob.f);
            continue;
          }
          let personal: JsonData;
          try {
            const plaintext = openBytes(
              key,
              Buffer.from(blob.c, 'base64'),
              aadOf(event.streamName, event.id),
            );
            personal = JSON.parse(plaintext.toString('utf8')) as JsonData;
          } catch {
            throw new SealedEventUnreadableError(event.id, event.streamName);
          }
          Object.assign(opened, personal);
        }
        let data = mergePersonal(clear, opened);
        if (erasedFields.length > 0) data = erasedData(event.type, data, erasedFields);
        return { ...event, data };
      });
    },
  };
}

export type EventCodec = ReturnType<typeof eventCodec>;

/** The sealed parts of a stored event: none, one (a one-to-one chat's), or several (a group message's). */
function sealedFieldsOf(event: RecordedEvent): SealedFields[] {
  const value = event.data[sealedKey];
  const parts = Array.isArray(value) ? value : [value];
  return parts.flatMap((part) => {
    if (typeof part !== 'object' || part === null || Array.isArray(part)) return [];
    const { k, f, c } = part;
    return typeof k === 'string' && Array.isArray(f) && typeof c === 'string'
      ? [{ k, f: f.filter((field): field is string => typeof field === 'string'), c }]
      : [];
  });
}
