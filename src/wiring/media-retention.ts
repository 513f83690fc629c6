import type { Kysely } from 'kysely';
import { createPostgresSingletonLeases } from '../adapters/db/postgres-singleton-leases.js';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { CommandHandler } from '../app/command-handler.js';
import type { MediaBlobStore } from '../app/media-blob-store.js';
import { createMediaRetention } from '../app/media/media-retention.js';
import { sweepAsSingleton } from '../app/scheduled-sweep.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** With MEDIA_RETENTION_DAYS, one process of the cluster sweeps kept files past it; otherwise nothing runs. */
export async function startMediaRetention(deps: {
  config: Config;
  db: Kysely<ReadModelSchema>;
  blobs: MediaBlobStore;
  handle: CommandHandler;
  owner: string;
  logger: Logger;
}) {
  const { config, db, logger } = deps;
  if (config.MEDIA_RETENTION_DAYS === undefined) return undefined;
  const retention = createMediaRetention({
    handle: deps.handle,
    blobs: deps.blobs,
    retentionDays: config.MEDIA_RETENTION_DAYS,
    carriersOf: async (companyId, sha256) =>
      (
        await db
          .selectFrom('Messages')
          .select(['Session_Id', 'Chat_Id', 'Wa_Message_Id', 'Wa_Timestamp', 'Direction'])
          .where('Company_Id', '=', companyId)
          .where('Media_Sha256', '=', sha256)
          .where('Wa_Message_Id', 'is not', null)
          .execute()
      ).map((row) => ({
        sessionId: row.Session_Id,
        chatJid: row.Chat_Id,
        waMessageId: row.Wa_Message_Id!,
        waTimestamp: Number(row.Wa_Timestamp),
        outgoing: row.Direction === 'OUT',
      })),
    isProfilePicture: async (companyId, sha256) =>
      (await db
        .selectFrom('Clients')
        .select('Id')
        .where('Company_Id', '=', companyId)
        .where('Profile_Picture_Sha256', '=', sha256)
        .executeTakeFirst()) !== undefined,
    logger,
  });
  return sweepAsSingleton({
    name: 'media-retention',
    owner: deps.owner,
    leases: createPostgresSingletonLeases(db),
    sweep: () => retention.sweep(),
    intervalMs: config.MEDIA_RETENTION_INTERVAL_MS,
    what: 'The media retention sweep',
    logger,
  });
}
