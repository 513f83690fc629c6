import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process's name on session leases: host, process id and a random part, so that a process restarted with
 * the same id (pid 1 in a container) is another owner. Each gateway process needs a host name of its own, as
 * Docker and Kubernetes give by default.
 */
export function leaseOwnerId(host = hostname(), pid = process.pid): string {
  return `${host}:${pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * The owners whose leases this process can reclaim at once: earlier processes of this host that are gone (their
 * process id no longer runs, or is this very process's under another owner name). Their sessions would
 * otherwise wait for the leases to expire, reported connected while nobody runs them.
 */
export function deadOwnersOnThisHost(
  owners: readonly string[],
  me: string,
  isRunning: (pid: number) => boolean = processRuns,
): string[] {
  const [host, ownPid] = me.split(':');
  return owners.filter((owner) => {
    if (owner === me) return false;
    const [ownerHost, pidText] = owner.split(':');
    const pid = Number(pidText);
    if (ownerHost !== host || !Number.isInteger(pid) || pid <= 0) return false;
    return String(pid) === ownPid || !isRunning(pid);
  });
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
