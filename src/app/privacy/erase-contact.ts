import type { Kysely } from 'kysely';
import type { EventStore } from '../../adapters/event-store/port.js';
import type { ContactKeyStore } from '../../adapters/privacy/contact-key-store.js';
import type { Actor } from '../../domain/actor.js';
import { individualChatJid } from '../../domain/privacy/contact-of-stream.js';
import {
  privacyEventSchemas,
  privacyStreamName,
  type ContactErasedData,
} from '../../domain/privacy/privacy-events.js';
import { contactHash } from '../../domain/privacy/contact-hash.js';
import type { MediaBlobStore } from '../media-blob-store.js';
import { lidContact, lidsOfContact } from './contact-lids.js';
import { contactChats, erasureMetadata } from './erase-chats.js';

export interface EraseContactDeps<T> {
  db: Kysely<T>;
  store: EventStore;
  keys: ContactKeyStore;
  blobs: MediaBlobStore;
  hashSalt: Buffer;
  clock?: () => Date;
}

export interface ErasureRequest {
  companyId: string;
  /** Digits, international format (domain/privacy/contact-phone.ts). */
  phone: string;
  actor: Actor;
  correlationId: string;
}

/**
 * Erases a contact of one company (README, "Privacy: crypto-shredding"), in an order that a crash at any
 * step leaves safe to repeat: the erasure is recorded (who, when, the contact as a keyed hash), the contact's
 * key is destroyed (every sealed field of its chats is unreadable from then on, in every process and rebuild),
 * each of its chats gets a ChatErased that the projectors scrub the read models with, and the files only it
 * referenced (its messages' and its profile picture) are deleted, as are the kept webhook payloads of its chats.
 */
export function eraseContact<T>(deps: EraseContactDeps<T>) {
  const clock = deps.clock ?? (() => new Date());
  return async (request: ErasureRequest): Promise<ContactErasedData> => {
    const { companyId, phone, actor, correlationId } = request;
    const cause = { companyId, actor, correlationId, causationId: null };
    const phoneJid = individualChatJid(phone);
    const hash = contactHash(deps.hashSalt, companyId, phone);
    // The contact's one-to-one chats, and those addressed only by a linked-device id known to be its.
    const lids = await lidsOfContact(deps.db, companyId, { phoneJid, contactHash: hash });
    const contact = { phone, contactHash: hash };
    const chats = await contactChats({ ...deps, clock }, cause, contact, [phoneJid, ...lids]);

    const recorded: ContactErasedData = privacyEventSchemas.ContactErased.parse({
      contactHash: hash,
      chats: chats.chats.reduce((count, chat) => count + chat.sessions.length, 0),
    });
    const erasure = erasureMetadata(cause, clock());
    await deps.store.append(
      privacyStreamName(companyId),
      [{ id: erasure.eventId, type: 'ContactErased', data: { ...recorded }, metadata: erasure }],
      'any',
    );
    await deps.keys.destroy(companyId, phone);
    for (const lid of lids) await deps.keys.destroy(companyId, lidContact(lid));
    await chats.erase();
    return recorded;
  };
}
