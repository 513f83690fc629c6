import type { Kysely } from 'kysely';
import type { EventStore } from '../../adapters/event-store/port.js';
import type { ContactKeyStore } from '../../adapters/privacy/contact-key-store.js';
import type { EventCodec } from '../../adapters/privacy/event-codec.js';
import { contactHash } from '../../domain/privacy/contact-hash.js';
import type { PrivacyServices } from '../../api/routes/privacy-routes.js';
import type { MediaBlobStore } from '../media-blob-store.js';
import { eraseContact } from './erase-contact.js';
import { exportContact } from './export-contact.js';

/** Export and erasure of contacts, over the read models and the (sealing) event store. */
export function privacyServices<T>(deps: {
  db: Kysely<T>;
  store: EventStore;
  blobs: MediaBlobStore;
  privacy: { keys: ContactKeyStore; hashSalt: Buffer; codec: EventCodec };
}): PrivacyServices {
  return {
    erase: eraseContact({ db: deps.db, store: deps.store, blobs: deps.blobs, ...deps.privacy }),
    export: (companyId, phone) =>
      exportContact(deps.db, companyId, {
        phone,
        contactHash: contactHash(deps.privacy.hashSalt, companyId, phone),
      }),
    open: (events) => deps.privacy.codec.open(events),
  };
}
