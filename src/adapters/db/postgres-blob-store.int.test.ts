import { databaseKinds, openMigratedTestDatabase } from '../../../test-support/test-databases.js';
import { blobStoreContract } from '../media/blob-store.contract.js';
import { createPostgresBlobStore } from './postgres-blob-store.js';

// Chunks of 1 KiB, so that the contract's ranges cross chunk boundaries.
for (const kind of databaseKinds)
  blobStoreContract(kind, async () => {
    const testDb = await openMigratedTestDatabase(kind, 'blob-store');
    return { store: createPostgresBlobStore(testDb.database.db, 1024), dispose: () => testDb.dispose() };
  });
