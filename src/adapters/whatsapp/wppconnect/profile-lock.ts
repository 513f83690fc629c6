import { readFile, readlink, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

const lockFiles = ['SingletonLock', 'SingletonSocket', 'SingletonCookie'];

/** A Chromium still running on this machine holds the session's profile. */
export class ProfileInUseError extends Error {
  override readonly name = 'ProfileInUseError';

  constructor(
    readonly profileDir: string,
    readonly pid: number,
  ) {
    super(`the browser profile ${profileDir} is in use by Chromium (pid ${pid})`);
  }
}

export interface LockCheck {
  hostname: string;
  /** Whether a process of this machine is running and is a Chromium on `profileDir`. */
  holdsProfile(pid: number, profileDir: string): Promise<boolean>;
}

const thisMachine: LockCheck = { hostname: hostname(), holdsProfile: chromiumOnProfile };

/**
 * Removes the lock Chromium left in a profile when it did not exit cleanly: `SingletonLock` names the
 * `<host>-<pid>` that held it. After a container restart the host name differs or the pid is gone, and Chromium
 * refuses the profile for good (wppconnect#2259). A lock held by a Chromium still running here on this profile
 * is kept, and starting fails with ProfileInUseError. Returns whether a stale lock was removed.
 */
export async function clearStaleProfileLock(
  profileDir: string,
  check: LockCheck = thisMachine,
): Promise<boolean> {
  const target = await readlink(join(profileDir, 'SingletonLock')).catch(() => null);
  if (target === null) return false;
  const match = /^(.*)-(\d+)$/.exec(target);
  const pid = match ? Number(match[2]) : null;
  if (match?.[1] === check.hostname && pid !== null && (await check.holdsProfile(pid, profileDir)))
    throw new ProfileInUseError(profileDir, pid);
  await Promise.all(lockFiles.map((file) => rm(join(profileDir, file), { force: true })));
  return true;
}

/** Reads /proc: the process exists and was started with this profile. */
async function chromiumOnProfile(pid: number, profileDir: string): Promise<boolean> {
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  const args = commandLine?.split('\0') ?? [];
  return [profileDir, resolve(profileDir)].some((dir) => args.includes(`--user-data-dir=${dir}`));
}
