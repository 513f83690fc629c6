import { systemActor } from '../../domain/actor.js';
import { chatStream, chatStreamName } from '../../domain/chat/chat-stream.js';
import type { Logger } from '../../logger.js';
import type { CommandHandler } from '../command-handler.js';
import type { MediaBlobStore } from '../media-blob-store.js';

/** A message that carries a kept file. */
export interface FileCarrier {
  sessionId: string;
  chatJid: string;
  waMessageId: string;
  /** When WhatsApp says it was sent (unix seconds). */
  waTimestamp: number;
  /** Sent by the session's own number (from the phone): its files are the company's own record, kept for good. */
  outgoing: boolean;
}

export interface MediaRetentionOptions {
  handle: CommandHandler;
  blobs: MediaBlobStore;
  /** MEDIA_RETENTION_DAYS. */
  retentionDays: number;
  /** The messages of the company that carry the file. */
  carriersOf: (companyId: string, sha256: string) => Promise<FileCarrier[]>;
  /** Whether the file is a contact's current profile picture (kept as long as the contact shows it). */
  isProfilePicture: (companyId: string, sha256: string) => Promise<boolean>;
  logger: Logger;
  now?: () => number;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Deletes kept files older than MEDIA_RETENTION_DAYS. A file a message newer than that still carries (the same
 * content received again: files are kept once per company) is kept, as is one an outgoing message carries and a
 * contact's current picture. Each
 * message that carried a deleted file gets MediaDeleted first, so its `url` turns null with the reason, and a
 * sweep cut short is finished by the next one.
 */
export function createMediaRetention(options: MediaRetentionOptions) {
  const now = options.now ?? Date.now;
  const reason = `deleted after MEDIA_RETENTION_DAYS (${options.retentionDays} days)`;

  async function sweep(): Promise<{ deleted: number; kept: number }> {
    const cutoff = new Date(now() - options.retentionDays * dayMs);
    let deleted = 0;
    let kept = 0;
    for await (const { companyId, sha256 } of options.blobs.keptBefore(cutoff)) {
      const carriers = await options.carriersOf(companyId, sha256);
      const stillNeeded =
        carriers.some((carrier) => carrier.outgoing || carrier.waTimestamp * 1000 >= cutoff.getTime()) ||
        (await options.isProfilePicture(companyId, sha256));
      if (stillNeeded) {
        kept += 1;
        continue;
      }
      for (const carrier of carriers)
        await options.handle(
          chatStream,
          chatStreamName(carrier.sessionId, carrier.chatJid),
          {
            type: 'RecordMediaDeleted',
            sessionId: carrier.sessionId,
            chatJid: carrier.chatJid,
            waMessageId: carrier.waMessageId,
            sha256,
            reason,
          },
          {
            companyId,
            sessionId: carrier.sessionId,
            actor: systemActor('media-retention'),
            correlationId: `media-retention:${sha256}`,
            causationId: null,
            factKey: `media-deleted:${carrier.waMessageId}:${sha256}`,
          },
        );
      // Only while it is still that old: a new message with this content may have kept it again meanwhile.
      if (await options.blobs.delete(companyId, sha256, { keptBefore: cutoff })) deleted += 1;
      else kept += 1;
    }
    if (deleted) options.logger.info({ deleted, kept }, 'Deleted kept files past MEDIA_RETENTION_DAYS');
    return { deleted, kept };
  }

  return { sweep };
}
