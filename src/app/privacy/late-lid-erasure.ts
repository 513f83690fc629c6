import type { Kysely } from 'kysely';
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.js';
import type { ContactKeyStore } from '../../adapters/privacy/contact-key-store.js';
import { systemActor } from '../../domain/actor.js';
import { nameBasedUuid } from '../../domain/deterministic-id.js';
import { privacyStreamName } from '../../domain/privacy/privacy-events.js';
import type { Logger } from '../../logger.js';
import type { MediaBlobStore } from '../media-blob-store.js';
import { contactHash } from '../../domain/privacy/contact-hash.js';
import { lidContact } from './contact-lids.js';
import { contactChats } from './erase-chats.js';
import { claimLateLid, destroyLidKeyOnce, finishLateLid, unfinishedLateLids } from './late-lid-claims.js';
import { learnedBefore, lidMappingsById, lidMappingsSince, type LidMapping } from './late-lid-mappings.js';

export interface LateLidErasureDeps<T> {
  db: Kysely<T>;
  store: EventStore;
  keys: ContactKeyStore;
  blobs: MediaBlobStore;
  hashSalt: Buffer;
  logger: Logger;
  clock?: () => Date;
  /** Mappings a sweep reads at a time. Default 500. */
  batchSize?: number;
}

const phoneOfJid = /^([1-9]\d{6,14})@c\.us$/;

/** The erasures of each company (its privacy stream), read once per company by whoever holds it. */
type ErasuresOf = (companyId: string) => Promise<readonly RecordedEvent[]>;

/**
 * An `@lid` id learned to be an erased contact's only after its erasure (WhatsApp told the mapping late): its
 * key is destroyed then, and its chats erased as the erasure would have (erase-contact.ts). Only for the first
 * time the company's sessions learn the mapping: a mapping known at the erasure was erased with it, and one
 * reported again later must not erase what the contact wrote since. The live reaction (events this process
 * committed) and the sweep (every mapping, after a crash or from another process) share one record of what was
 * taken up and done (late-lid-claims.ts), so an id is erased once: its key destroyed once, and one ChatErased per
 * chat (its id comes from the mapping, so a repeat appends nothing).
 */
export function lateLidErasure<T>(deps: LateLidErasureDeps<T>) {
  const clock = deps.clock ?? (() => new Date());
  const batchSize = deps.batchSize ?? 500;
  const readErasures: ErasuresOf = (companyId) => deps.store.readStream(privacyStreamName(companyId));

  /** Each company's erasures read at most once by what uses the answer. */
  function erasuresReadOnce(): ErasuresOf {
    const read = new Map<string, Promise<readonly RecordedEvent[]>>();
    return (companyId) => {
      if (!read.has(companyId)) read.set(companyId, readErasures(companyId));
      return read.get(companyId)!;
    };
  }

  /** Whether the contact was erased before the mapping was recorded (in the store's order). */
  async function erasedBefore(erasuresOf: ErasuresOf, mapping: LidMapping, hash: string) {
    const erasures = await erasuresOf(mapping.companyId);
    if (erasures.length === 0) return false;
    return erasures.some(
      (event) =>
        event.type === 'ContactErased' &&
        event.data.contactHash === hash &&
        event.position < mapping.position,
    );
  }

  async function eraseIfLate(mapping: LidMapping, erasuresOf: ErasuresOf): Promise<boolean> {
    const { companyId, lid } = mapping;
    // The number, unless this mapping's line was scrubbed already (it came between the erasure and its scrub).
    const phone = phoneOfJid.exec(mapping.phoneJid)?.[1];
    const hash = phone ? contactHash(deps.hashSalt, companyId, phone) : mapping.contactHash;
    if (!lid.endsWith('@lid') || !hash) return false;
    if (!(await erasedBefore(erasuresOf, mapping, hash))) return false;
    if (await learnedBefore(deps.db, mapping, hash)) return false;
    const mappingId = await claimLateLid(deps.db, companyId, lid, mapping.id);
    if (mappingId === undefined) return false;
    const cause = {
      companyId,
      actor: systemActor('late-lid-erasure'),
      correlationId: mapping.correlationId ?? mappingId,
      causationId: mappingId,
    };
    const contact = { phone: phone ?? '', contactHash: hash };
    const chats = await contactChats({ ...deps, clock }, cause, contact, [lid], (sessionId, chatJid) =>
      nameBasedUuid('late-lid-erasure', mappingId, sessionId, chatJid),
    );
    await destroyLidKeyOnce(deps.db, companyId, lid, lidContact(lid));
    deps.keys.forget();
    await chats.erase();
    await finishLateLid(deps.db, companyId, lid);
    return true;
  }

  async function eraseEach(mappings: readonly LidMapping[], erasuresOf: ErasuresOf): Promise<number> {
    let erased = 0;
    for (const mapping of mappings) {
      try {
        if (await eraseIfLate(mapping, erasuresOf)) erased++;
      } catch (error) {
        deps.logger.error(
          { err: error, eventId: mapping.id },
          'Could not erase a linked-device id learned to be an erased contact’s',
        );
      }
    }
    return erased;
  }

  return {
    /** Acts on the mappings among events just stored; answers how many erased a linked-device id. */
    async takeUpCommitted(events: readonly RecordedEvent[]): Promise<number> {
      const mappings = events.flatMap(mappingOfEvent);
      return mappings.length === 0 ? 0 : eraseEach(mappings, erasuresReadOnce());
    },

    /**
     * Erases every late linked-device id not erased yet among the mappings recorded since `since` (all of them
     * when omitted), and finishes those taken up by a process that stopped halfway; answers how many it erased.
     */
    async sweep(since = new Date(0)): Promise<number> {
      const erasuresOf = erasuresReadOnce();
      let erased = await eraseEach(
        await lidMappingsById(deps.db, await unfinishedLateLids(deps.db, batchSize)),
        erasuresOf,
      );
      for (let after: LidMapping | undefined; ;) {
        const page = await lidMappingsSince(deps.db, since, after, batchSize);
        erased += await eraseEach(page, erasuresOf);
        if (page.length < batchSize) return erased;
        after = page.at(-1);
      }
    },
  };
}

function mappingOfEvent(event: RecordedEvent): LidMapping[] {
  if (event.type !== 'ContactLidMapped') return [];
  const { companyId, correlationId } = event.metadata;
  const { lid, phoneJid, contactHash: hash } = event.data;
  if (typeof companyId !== 'string' || typeof lid !== 'string' || typeof phoneJid !== 'string') return [];
  return [
    {
      id: event.id,
      companyId,
      lid,
      phoneJid,
      contactHash: typeof hash === 'string' ? hash : undefined,
      position: event.position,
      correlationId: typeof correlationId === 'string' ? correlationId : undefined,
      recordedAt: event.recordedAt,
    },
  ];
}
