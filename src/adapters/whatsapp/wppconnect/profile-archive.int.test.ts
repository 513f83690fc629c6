import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveProfile, extractProfile } from './profile-archive.js';

const folders: string[] = [];
const folder = async () => {
  const made = await mkdtemp(join(tmpdir(), 'zapledger-profile-'));
  folders.push(made);
  return made;
};
afterEach(async () => {
  await Promise.all(folders.splice(0).map((made) => rm(made, { recursive: true, force: true })));
});

describe('a browser profile backup', () => {
  it('keeps the login and leaves out caches and locks', async () => {
    const profile = await folder();
    await mkdir(join(profile, 'Default', 'IndexedDB', 'https_web.whatsapp.com_0.indexeddb.leveldb'), {
      recursive: true,
    });
    await writeFile(
      join(profile, 'Default', 'IndexedDB', 'https_web.whatsapp.com_0.indexeddb.leveldb', 'CURRENT'),
      'login',
    );
    await writeFile(join(profile, 'Default', 'Cookies'), 'cookies');
    await mkdir(join(profile, 'Default', 'Cache', 'Cache_Data'), { recursive: true });
    await writeFile(join(profile, 'Default', 'Cache', 'Cache_Data', 'blob'), 'x'.repeat(100_000));
    await writeFile(join(profile, 'SingletonLock'), 'vm-123');

    const archive = await archiveProfile(profile);
    const restored = join(await folder(), 'restored');
    await extractProfile(restored, archive);

    expect(
      await readFile(
        join(restored, 'Default', 'IndexedDB', 'https_web.whatsapp.com_0.indexeddb.leveldb', 'CURRENT'),
        'utf8',
      ),
    ).toBe('login');
    expect(await readFile(join(restored, 'Default', 'Cookies'), 'utf8')).toBe('cookies');
    await expect(stat(join(restored, 'Default', 'Cache'))).rejects.toThrow();
    await expect(stat(join(restored, 'SingletonLock'))).rejects.toThrow();
    expect(archive.length).toBeLessThan(10_000);
  });
});
