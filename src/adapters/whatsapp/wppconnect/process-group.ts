import type { ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

const pollMs = 25;

/**
 * Kills a process group and waits until none of its members is left running, for at most `ms`. Puppeteer starts
 * Chromium as the leader of its own group; its zygotes and renderers can outlive the browser process for a
 * while, longest on a busy machine, so that a browser reported closed still had processes on its profile.
 * Members are found in /proc (zombies, already dead, do not count); where there is no /proc, only the leader
 * is waited for. The group is signalled only while a member exists, so its id cannot have been reused.
 */
export async function endProcessGroup(leader: ChildProcess | null, ms: number): Promise<void> {
  const pgid = leader?.pid;
  if (!leader || !pgid) return;
  const deadline = Date.now() + ms;
  for (;;) {
    const running = (await liveMembers(pgid)) ?? (isRunning(leader) ? 1 : 0);
    if (running === 0 || Date.now() >= deadline) return;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      leader.kill('SIGKILL');
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** How many processes of the group are alive, or null when /proc cannot tell. */
async function liveMembers(pgid: number): Promise<number | null> {
  const entries = await readdir('/proc').catch(() => null);
  if (!entries) return null;
  let count = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    // `pid (comm) state ppid pgrp …`; the command name may itself hold spaces and parentheses.
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields && fields[0] !== 'Z' && Number(fields[2]) === pgid) count += 1;
  }
  return count;
}
