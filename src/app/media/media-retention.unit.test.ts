import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import type { CommandHandler } from '../command-handler.js';
import type { KeptBlob, MediaBlobStore } from '../media-blob-store.js';
import { createMediaRetention, type FileCarrier } from './media-retention.js';

const day = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 11, 1);

function world(blobs: KeptBlob[], carriers: Record<string, FileCarrier[]>, pictures: string[] = []) {
  const deleted: string[] = [];
  const recorded: { type: string; waMessageId?: string; reason?: string }[] = [];
  const retention = createMediaRetention({
    handle: ((_type: unknown, _stream: string, command: { type: string }) => {
      recorded.push(command);
      return Promise.resolve({});
    }) as unknown as CommandHandler,
    blobs: {
      async *keptBefore(before: Date) {
        for (const blob of blobs) if (blob.keptAt < before) yield await Promise.resolve(blob);
      },
      delete: (_company: string, sha256: string) => Promise.resolve(deleted.push(sha256) > 0),
    } as unknown as MediaBlobStore,
    retentionDays: 30,
    carriersOf: (_company, sha256) => Promise.resolve(carriers[sha256] ?? []),
    isProfilePicture: (_company, sha256) => Promise.resolve(pictures.includes(sha256)),
    logger: silentLogger,
    now: () => now,
  });
  return { retention, deleted, recorded };
}

const kept = (sha256: string, daysAgo: number): KeptBlob => ({
  companyId: 'acme',
  sha256,
  keptAt: new Date(now - daysAgo * day),
});
const carrier = (waMessageId: string, daysAgo: number): FileCarrier => ({
  sessionId: 's1',
  chatJid: '5511988887777@c.us',
  waMessageId,
  waTimestamp: Math.floor((now - daysAgo * day) / 1000),
  outgoing: false,
});

describe('media retention', () => {
  it('deletes a file past the retention, after recording on each message that carried it why', async () => {
    const { retention, deleted, recorded } = world([kept('old', 40)], {
      old: [carrier('m1', 40), carrier('m2', 35)],
    });
    expect(await retention.sweep()).toEqual({ deleted: 1, kept: 0 });
    expect(deleted).toEqual(['old']);
    expect(recorded).toEqual([
      expect.objectContaining({
        type: 'RecordMediaDeleted',
        waMessageId: 'm1',
        reason: expect.stringMatching(/30 days/),
      }),
      expect.objectContaining({ type: 'RecordMediaDeleted', waMessageId: 'm2' }),
    ]);
  });

  it('keeps an old file that a newer message still carries', async () => {
    const { retention, deleted, recorded } = world([kept('shared', 40)], {
      shared: [carrier('m1', 40), carrier('m2', 2)],
    });
    expect(await retention.sweep()).toEqual({ deleted: 0, kept: 1 });
    expect(deleted).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it('keeps an old file that an outgoing message (sent from the phone) carries', async () => {
    const { retention, deleted, recorded } = world([kept('sent', 40)], {
      sent: [carrier('m1', 40), { ...carrier('m2', 40), outgoing: true }],
    });
    expect(await retention.sweep()).toEqual({ deleted: 0, kept: 1 });
    expect(deleted).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it('keeps files younger than the retention, and a contact’s current picture', async () => {
    const { retention, deleted } = world([kept('young', 10), kept('picture', 90)], {}, ['picture']);
    await retention.sweep();
    expect(deleted).toEqual([]);
  });
});
