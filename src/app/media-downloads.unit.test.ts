import { describe, expect, it } from 'vitest';
import type { DriverSession } from '../adapters/whatsapp/port.js';
import { silentLogger } from '../logger.js';
import type { PendingDownload } from '../projections/messages/pending-downloads.js';
import type { CommandHandler } from './command-handler.js';
import type { MediaBlobStore } from './media-blob-store.js';
import { createMediaDownloads } from './media-downloads.js';

const file: PendingDownload = {
  companyId: 'acme',
  sessionId: 'session-1',
  chatJid: '5511988887777@c.us',
  waMessageId: 'false_5511988887777@c.us_3EB0A1',
  mimetype: 'image/png',
  declaredSize: 8,
  causationId: '0b9f3c1e-5c1f-4a53-9d59-7d0c1f6b8e11',
};
const png = Buffer.from('89504e470d0a1a0a', 'hex');

function downloadsWith(driver: { session: DriverSession | undefined }) {
  const recorded: { type: string }[] = [];
  const handle = ((_type: unknown, _stream: unknown, command: { type: string }) => {
    recorded.push(command);
    return Promise.resolve({ events: [], state: undefined, revision: 0n });
  }) as unknown as CommandHandler;
  const blobs = { put: () => Promise.resolve() } as unknown as MediaBlobStore;
  const downloads = createMediaDownloads({
    handle,
    blobs,
    driverSession: () => driver.session,
    maxBytes: 1000,
    logger: silentLogger,
    attempts: 3,
    retryInitialMs: 1,
  });
  return { downloads, recorded };
}

describe('media downloads cut short', () => {
  it('leaves a file pending, not failed, when its session stops running here during the download', async () => {
    const driver: { session: DriverSession | undefined } = { session: undefined };
    driver.session = {
      downloadMedia: () => {
        driver.session = undefined;
        return Promise.reject(new Error('the page was closed'));
      },
    } as unknown as DriverSession;
    const { downloads, recorded } = downloadsWith(driver);
    downloads.takeUpPending([file]);
    await downloads.drain();
    expect(recorded).toEqual([]);
  });

  it('keeps a pending file once its session connects again, once however often it is taken up', async () => {
    let asked = 0;
    const driver = {
      session: {
        downloadMedia: () => {
          asked += 1;
          return Promise.resolve(png);
        },
      } as unknown as DriverSession,
    };
    const { downloads, recorded } = downloadsWith(driver);
    downloads.takeUpPending([file, file]);
    downloads.takeUpPending([file]);
    await downloads.drain();
    expect(asked).toBe(1);
    expect(recorded.map((command) => command.type)).toEqual(['RecordMediaDownloaded']);
  });

  it('still records a failure when the session runs here and WhatsApp keeps refusing', async () => {
    const driver = {
      session: { downloadMedia: () => Promise.reject(new Error('503')) } as unknown as DriverSession,
    };
    const { downloads, recorded } = downloadsWith(driver);
    downloads.takeUpPending([file]);
    await downloads.drain();
    expect(recorded).toMatchObject([{ type: 'RecordMediaDownloadFailed' }]);
  });
});
