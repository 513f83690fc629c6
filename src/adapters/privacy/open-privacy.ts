import { contactHash } from '../../domain/privacy/contact-hash.js';
import type { Database } from '../db/database.js';
import { contactKeysChannel, createContactKeyStore } from './contact-key-store.js';
import { ensureDataKeyMatches } from './data-key-check.js';
import { parseDataKey } from './data-key.js';
import { editedMessageAuthors } from './edited-message-authors.js';
import { eventCodec } from './event-codec.js';
import { sealingStorage } from './sealing-event-store.js';

/**
 * Crypto-shredding for a migrated database: checks DATA_KEY against the store (refusing a mismatch), and gives
 * the contact keys, the codec and the sealing decorator. Every process listens for erasures, to forget the
 * keys it holds in memory.
 */
export async function openPrivacy(database: Database, dataKey: string | undefined) {
  const master = dataKey === undefined ? undefined : parseDataKey(dataKey);
  const hashSalt = await ensureDataKeyMatches(database.db, master);
  const keys = createContactKeyStore(database.db, { master });
  const unlisten = await database.listen(contactKeysChannel, () => keys.forget());
  const codec = eventCodec(keys, editedMessageAuthors(database.db), (companyId, phone) =>
    contactHash(hashSalt, companyId, phone),
  );
  return { keys, codec, sealing: sealingStorage(codec), hashSalt, close: unlisten };
}

export type Privacy = Awaited<ReturnType<typeof openPrivacy>>;
