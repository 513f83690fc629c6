import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaBlobStore } from '../../app/media-blob-store.js';

export interface OpenedBlobStore {
  store: MediaBlobStore;
  dispose(): Promise<void>;
}

const fileOf = (bytes: number, seed: number) => {
  const data = Buffer.from(Array.from({ length: bytes }, (_, index) => (index * 31 + seed) % 251));
  return { sha256: createHash('sha256').update(data).digest('hex'), data };
};

const readAll = async (
  store: MediaBlobStore,
  company: string,
  sha256: string,
  start: number,
  end: number,
) => {
  const parts: Buffer[] = [];
  for await (const part of store.read(company, sha256, { start, end })) parts.push(part);
  return Buffer.concat(parts);
};

/**
 * What every kept-file store does (PostgreSQL, S3-compatible): content-addressed per company, ranges, deletion
 * and the listing retention needs. Stores are expected to be opened with a small chunk size where they chunk,
 * so that ranges cross chunk boundaries.
 */
export function blobStoreContract(name: string, open: () => Promise<OpenedBlobStore>) {
  describe(`media blob store contract: ${name}`, () => {
    let opened: OpenedBlobStore;
    let store: MediaBlobStore;
    // Each run its own companies, so that a shared bucket or database holds no earlier run's files for them.
    const acme = `acme-${randomUUID()}`;
    const globex = `globex-${randomUUID()}`;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterAll(async () => {
      await opened?.dispose();
    });

    it('keeps a file under its company and SHA-256, with its type and size', async () => {
      const file = fileOf(5000, 1);
      await store.put(acme, { ...file, mimetype: 'image/png' });
      expect(await store.stat(acme, file.sha256)).toEqual({ mimetype: 'image/png', size: 5000 });
      expect(await readAll(store, acme, file.sha256, 0, 4999)).toEqual(file.data);
    });

    it('reads any range, across chunks', async () => {
      const file = fileOf(5000, 2);
      await store.put(acme, { ...file, mimetype: 'application/pdf' });
      for (const [start, end] of [
        [0, 0],
        [1000, 3100],
        [4095, 4999],
        [4999, 4999],
      ] as const)
        expect(await readAll(store, acme, file.sha256, start, end)).toEqual(
          file.data.subarray(start, end + 1),
        );
    });

    it('keeps a content once, and one company’s files are not another’s', async () => {
      const file = fileOf(100, 3);
      await store.put(acme, { ...file, mimetype: 'image/jpeg' });
      await store.put(acme, { ...file, mimetype: 'image/jpeg' });
      expect(await store.stat(acme, file.sha256)).toEqual({ mimetype: 'image/jpeg', size: 100 });
      expect(await store.stat(globex, file.sha256)).toBeUndefined();
    });

    it('deletes a file for good, and deleting a missing one does nothing', async () => {
      const file = fileOf(3000, 4);
      await store.put(globex, { ...file, mimetype: 'image/png' });
      expect(await store.delete(globex, file.sha256)).toBe(true);
      expect(await store.stat(globex, file.sha256)).toBeUndefined();
      expect(await store.delete(globex, file.sha256)).toBe(false);
    });

    it('deletes on a keep-time condition only a file last kept before it, and says whether it did', async () => {
      const file = fileOf(200, 6);
      await store.put(acme, { ...file, mimetype: 'image/png' });
      expect(await store.delete(acme, file.sha256, { keptBefore: new Date(Date.now() - 60_000) })).toBe(
        false,
      );
      expect(await store.stat(acme, file.sha256)).toBeDefined();
      expect(await store.delete(acme, file.sha256, { keptBefore: new Date(Date.now() + 60_000) })).toBe(true);
      expect(await store.stat(acme, file.sha256)).toBeUndefined();
      expect(await store.delete(acme, file.sha256)).toBe(false);
    });

    it('renews the keep time of a content put again, so that a retention decided before leaves it', async () => {
      // Keep times of S3 objects have whole seconds: a second and more on each side of the decision.
      const file = fileOf(300, 7);
      await store.put(acme, { ...file, mimetype: 'image/jpeg' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const decidedAt = new Date();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await store.put(acme, { ...file, mimetype: 'image/jpeg' });
      expect(await store.delete(acme, file.sha256, { keptBefore: decidedAt })).toBe(false);
      expect(await store.stat(acme, file.sha256)).toEqual({ mimetype: 'image/jpeg', size: 300 });
      expect(await readAll(store, acme, file.sha256, 0, 299)).toEqual(file.data);
    });

    it('lists the files kept before a time, and not those kept after it', async () => {
      const file = fileOf(10, 5);
      const before = new Date(Date.now() - 60_000);
      await store.put(acme, { ...file, mimetype: 'text/plain' });
      const listed = async (until: Date) => {
        const found: string[] = [];
        for await (const kept of store.keptBefore(until))
          if (kept.companyId === acme) found.push(kept.sha256);
        return found;
      };
      expect(await listed(before)).not.toContain(file.sha256);
      expect(await listed(new Date(Date.now() + 60_000))).toContain(file.sha256);
    });
  });
}
