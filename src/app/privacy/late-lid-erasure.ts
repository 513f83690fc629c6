import { sql, type Kysely } from 'kysely';
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.js';
import type { ContactKeyStore } from '../../adapters/privacy/contact-key-store.js';
import { systemActor } from '../../domain/actor.js';
import { privacyStreamName } from '../../domain/privacy/privacy-events.js';
import type { Logger } from '../../logger.js';
import type { MediaBlobStore } from '../media-blob-store.js';
import { contactHash } from './contact-hash.js';
import { lidContact } from './contact-lids.js';
import { contactChats } from './erase-chats.js';

export interface LateLidErasureDeps<T> {
  db: Kysely<T>;
  store: EventStore;
  keys: ContactKeyStore;
  blobs: MediaBlobStore;
  hashSalt: Buffer;
  logger: Logger;
  clock?: () => Date;
}

const phoneOfJid = /^([1-9]\d{6,14})@c\.us$/;

/**
 * An `@lid` id learned to be an erased contact's only after its erasure (WhatsApp told the mapping late): its
 * key is destroyed then, and its chats erased as the erasure would have (erase-contact.ts). Only the first time
 * the company's sessions learn the mapping: a mapping known at the erasure was erased with it, and one reported
 * again later must not erase what the contact wrote since.
 */
export function lateLidErasure<T>(deps: LateLidErasureDeps<T>) {
  const clock = deps.clock ?? (() => new Date());

  async function eraseIfContactErased(mapping: RecordedEvent): Promise<boolean> {
    const { companyId } = mapping.metadata;
    const { lid, phoneJid } = mapping.data;
    const phone = typeof phoneJid === 'string' ? phoneOfJid.exec(phoneJid)?.[1] : undefined;
    if (typeof companyId !== 'string' || typeof lid !== 'string' || !lid.endsWith('@lid') || !phone)
      return false;
    const hash = contactHash(deps.hashSalt, companyId, phone);
    const erasures = await deps.store.readStream(privacyStreamName(companyId));
    if (!erasures.some((event) => event.type === 'ContactErased' && event.data.contactHash === hash))
      return false;
    if ((await timesLearned(deps.db, companyId, lid, phoneJid as string)) > 1) return false;
    const cause = {
      companyId,
      actor: systemActor('late-lid-erasure'),
      correlationId:
        typeof mapping.metadata.correlationId === 'string' ? mapping.metadata.correlationId : mapping.id,
      causationId: mapping.id,
    };
    const chats = await contactChats({ ...deps, clock }, cause, phone, [lid]);
    await deps.keys.destroy(companyId, lidContact(lid));
    await chats.erase();
    return true;
  }

  return {
    /** Acts on the mappings among events just stored; answers how many erased a linked-device id. */
    async takeUpCommitted(events: readonly RecordedEvent[]): Promise<number> {
      let erased = 0;
      for (const event of events) {
        if (event.type !== 'ContactLidMapped') continue;
        try {
          if (await eraseIfContactErased(event)) erased++;
        } catch (error) {
          deps.logger.error(
            { err: error, eventId: event.id },
            'Could not erase a linked-device id learned to be an erased contact’s',
          );
        }
      }
      return erased;
    },
  };
}

/**
 * How many times the company's sessions recorded this mapping (the Session_Logs, projected with the event on
 * PostgreSQL; on EventStoreDB the one just stored may not be there yet, hence "more than one" means known).
 */
async function timesLearned<T>(db: Kysely<T>, companyId: string, lid: string, phoneJid: string) {
  const { rows } = await sql<{ count: string }>`
    select count(*)::text as count from "Session_Logs"
    where "Company_Id" = ${companyId} and "Event_Type" = 'ContactLidMapped'
      and "Metadata"->>'lid' = ${lid} and "Metadata"->>'phoneJid' = ${phoneJid}`.execute(db);
  return Number(rows[0]?.count ?? 0);
}
