import { lstat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearStaleProfileLock, ProfileInUseError } from './profile-lock.js';

// lstat: a lock is a symbolic link whose target need not exist.
const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

describe('stale Chromium profile locks', () => {
  let profile: string;
  beforeEach(async () => {
    profile = await mkdtemp(join(tmpdir(), 'zapledger-lock-'));
    await writeFile(join(profile, 'Local State'), '{}');
  });
  afterEach(() => rm(profile, { recursive: true, force: true }));

  const lockedBy = async (holder: string) => {
    await symlink(holder, join(profile, 'SingletonLock'));
    await symlink('/tmp/.org.chromium.Chromium.gone/SingletonSocket', join(profile, 'SingletonSocket'));
    await symlink('1234567890', join(profile, 'SingletonCookie'));
  };
  const here = (holds: boolean) => ({ hostname: 'gateway-1', holdsProfile: () => Promise.resolve(holds) });

  it('removes a lock left by a container that no longer exists', async () => {
    await lockedBy('4f1c2a9b7d3e-57');
    expect(await clearStaleProfileLock(profile, here(false))).toBe(true);
    for (const file of ['SingletonLock', 'SingletonSocket', 'SingletonCookie'])
      expect(await exists(join(profile, file))).toBe(false);
    expect(await exists(join(profile, 'Local State'))).toBe(true);
  });

  it('removes a lock of this machine whose Chromium is gone', async () => {
    await lockedBy('gateway-1-4242');
    expect(await clearStaleProfileLock(profile, here(false))).toBe(true);
  });

  it('keeps a lock held by a Chromium still running here on the profile', async () => {
    await lockedBy('gateway-1-4242');
    await expect(clearStaleProfileLock(profile, here(true))).rejects.toBeInstanceOf(ProfileInUseError);
    expect(await exists(join(profile, 'SingletonLock'))).toBe(true);
  });

  it('does nothing to a profile without a lock', async () => {
    await mkdir(join(profile, 'Default'));
    expect(await clearStaleProfileLock(profile, here(true))).toBe(false);
  });
});
