import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../adapters/event-store/port.js';
import { MediaUnavailableError, type DriverSession } from '../adapters/whatsapp/port.js';
import { whatsappActor } from '../domain/actor.js';
import type { ChatCommand } from '../domain/chat/chat-commands.js';
import { chatStream, chatStreamName } from '../domain/chat/chat-stream.js';
import { keptMimetype } from '../domain/media-sniffing.js';
import type { Logger } from '../logger.js';
import type { CommandHandler } from './command-handler.js';
import type { MediaBlobStore } from './media-blob-store.js';
import type { PendingDownload } from '../projections/messages/pending-downloads.js';

export interface MediaDownloadsOptions {
  handle: CommandHandler;
  blobs: MediaBlobStore;
  /** The session's driver when it runs in this process: only that process downloads its files. */
  driverSession: (sessionId: string) => DriverSession | undefined;
  /** MEDIA_MAX_BYTES: larger files are recorded as not kept, and not downloaded. */
  maxBytes: number;
  logger: Logger;
  attempts?: number;
  retryInitialMs?: number;
  /** Downloads at once in this process, so that files never crowd out the messages' own work. */
  concurrency?: number;
}

type Download = PendingDownload;

/** The session stopped running here before its file was kept: it stays pending for where it runs next. */
const leftPending = Symbol('left pending');

/**
 * Downloads the file of each message with media this process recorded (so, of the sessions it runs), in the
 * background, with retries, and records the outcome on the chat's stream: MediaDownloaded (kept in the blob store
 * by content) or MediaDownloadFailed (why).
 */
export function createMediaDownloads(options: MediaDownloadsOptions) {
  const attempts = options.attempts ?? 4;
  const retryInitialMs = options.retryInitialMs ?? 500;
  const waiting: Download[] = [];
  /** Files queued or downloading, so that one taken up twice (committed, then found pending) is fetched once. */
  const taken = new Set<string>();
  const keyOf = (download: Download) => `${download.sessionId}\u0000${download.waMessageId}`;
  let active = 0;
  const running = new Set<Promise<void>>();

  const record = (download: Download, command: ChatCommand) =>
    options.handle(chatStream, chatStreamName(download.sessionId, download.chatJid), command, {
      companyId: download.companyId,
      sessionId: download.sessionId,
      actor: whatsappActor(download.sessionId),
      correlationId: download.causationId,
      causationId: download.causationId,
      factKey: `media:${download.waMessageId}`,
    });
  const failed = (download: Download, reason: string) =>
    record(download, {
      type: 'RecordMediaDownloadFailed',
      sessionId: download.sessionId,
      chatJid: download.chatJid,
      waMessageId: download.waMessageId,
      reason,
    });

  async function fetchBytes(download: Download): Promise<Buffer | string | typeof leftPending> {
    let lastError = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const session = options.driverSession(download.sessionId);
      if (!session) return leftPending;
      try {
        return await session.downloadMedia(download.waMessageId);
      } catch (error) {
        if (error instanceof MediaUnavailableError) return error.message;
        lastError = error instanceof Error ? error.message : String(error);
      }
      if (attempt < attempts) await sleep(retryInitialMs * 2 ** (attempt - 1));
    }
    if (!options.driverSession(download.sessionId)) return leftPending;
    return `could not be downloaded after ${attempts} attempts: ${lastError}`;
  }

  async function run(download: Download): Promise<void> {
    const tooLarge = `larger than MEDIA_MAX_BYTES (${options.maxBytes} bytes)`;
    if (download.declaredSize !== null && download.declaredSize > options.maxBytes)
      return void (await failed(download, tooLarge));
    const data = await fetchBytes(download);
    if (data === leftPending) return;
    if (typeof data === 'string') return void (await failed(download, data));
    if (data.length > options.maxBytes) return void (await failed(download, tooLarge));
    const sha256 = createHash('sha256').update(data).digest('hex');
    const kept = keptMimetype(download.mimetype, data);
    await options.blobs.put(download.companyId, { sha256, mimetype: kept.mimetype, data });
    await record(download, {
      type: 'RecordMediaDownloaded',
      sessionId: download.sessionId,
      chatJid: download.chatJid,
      waMessageId: download.waMessageId,
      sha256,
      size: data.length,
      mimetype: kept.mimetype,
      declaredMimetype: kept.mismatch ? download.mimetype : null,
    });
  }

  function take(download: Download): void {
    if (taken.has(keyOf(download))) return;
    taken.add(keyOf(download));
    waiting.push(download);
  }

  function pump(): void {
    while (active < (options.concurrency ?? 2) && waiting.length) {
      const download = waiting.shift()!;
      active += 1;
      const done = run(download)
        .catch((error: unknown) =>
          options.logger.error(
            { err: error, sessionId: download.sessionId, waMessageId: download.waMessageId },
            'Could not keep the file of a message',
          ),
        )
        .finally(() => {
          active -= 1;
          taken.delete(keyOf(download));
          running.delete(done);
          pump();
        });
      running.add(done);
    }
  }

  return {
    /** Takes up the messages with media among events this process stored. */
    takeUpCommitted(events: readonly RecordedEvent[]): void {
      for (const event of events) {
        if (event.type !== 'MessageReceived') continue;
        const media = event.data.media as { mimetype?: unknown; size?: unknown } | null;
        const { chatJid, waMessageId } = event.data;
        const { sessionId, companyId } = event.metadata as { sessionId?: string; companyId?: string };
        if (!media || typeof media.mimetype !== 'string' || !sessionId || !companyId) continue;
        if (typeof chatJid !== 'string' || typeof waMessageId !== 'string') continue;
        if (!options.driverSession(sessionId)) continue;
        take({
          companyId,
          sessionId,
          chatJid,
          waMessageId,
          mimetype: media.mimetype,
          declaredSize: typeof media.size === 'number' ? media.size : null,
          causationId: event.id,
        });
      }
      pump();
    },
    /** Takes up files found pending (of a session that now runs here): their download was cut short. */
    takeUpPending(pending: readonly PendingDownload[]): void {
      for (const download of pending) if (options.driverSession(download.sessionId)) take(download);
      pump();
    },
    /** Resolves once every download taken up so far has ended. */
    async drain(): Promise<void> {
      while (running.size || waiting.length) await Promise.all([...running]);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
