import { describe, expect, it } from 'vitest';
import { createSessionBalance } from './session-balance.js';

const beat = 1000;
const sessions = (count: number, movable = true) =>
  Array.from({ length: count }, (_, i) => ({ sessionId: `s${i}`, movable }));

function balanceAt(step = 2) {
  let now = 0;
  const balance = createSessionBalance({ step, heartbeatIntervalMs: beat, now: () => now });
  return { balance, advance: (ms: number) => (now += ms) };
}

describe('sharing sessions between gateway processes', () => {
  it('hands over a few sessions per beat to a process that holds fewer, until they are within one', () => {
    const { balance } = balanceAt(2);
    expect(balance.toHandOver(sessions(10), { lost: [], members: 2, least: 0 })).toEqual(['s0', 's1']);
    expect(balance.toHandOver(sessions(6), { lost: [], members: 2, least: 4 })).toEqual(['s0']);
    expect(balance.toHandOver(sessions(5), { lost: [], members: 2, least: 4 })).toEqual([]);
    expect(balance.toHandOver(sessions(4), { lost: [], members: 1, least: 4 })).toEqual([]);
  });

  it('never hands over a session that is not connected and settled (one waiting for a scan stays)', () => {
    const { balance } = balanceAt(5);
    const waiting = sessions(6, false);
    expect(balance.toHandOver(waiting, { lost: [], members: 2, least: 0 })).toEqual([]);
  });

  it('hands nothing over when the step is 0', () => {
    const { balance } = balanceAt(0);
    expect(balance.toHandOver(sessions(10), { lost: [], members: 3, least: 0 })).toEqual([]);
  });

  it('takes free sessions up to its fair share of those that should run', () => {
    const { balance } = balanceAt();
    expect(balance.toTake(['a', 'b', 'c', 'd'], { wanted: 9, mine: 1, members: 3 })).toEqual(['a', 'b']);
    expect(balance.toTake(['a', 'b'], { wanted: 9, mine: 3, members: 3 })).toEqual([]);
  });

  it('takes a free session nobody took within two beats, whatever the shares', () => {
    const { balance, advance } = balanceAt();
    expect(balance.toTake(['a'], { wanted: 6, mine: 3, members: 2 })).toEqual([]);
    advance(beat);
    expect(balance.toTake(['a'], { wanted: 6, mine: 3, members: 2 })).toEqual([]);
    advance(beat);
    expect(balance.toTake(['a'], { wanted: 6, mine: 3, members: 2 })).toEqual(['a']);
  });

  it('stops handing over for a while when what it handed over comes back to it (no flapping)', () => {
    const { balance, advance } = balanceAt(1);
    const spread = { lost: [], members: 2, least: 0 };
    expect(balance.toHandOver(sessions(4), spread)).toEqual(['s0']);
    advance(2 * beat);
    expect(balance.toTake(['s0'], { wanted: 4, mine: 3, members: 2 })).toEqual([]);
    advance(2 * beat);
    expect(balance.toTake(['s0'], { wanted: 4, mine: 3, members: 2 })).toEqual(['s0']);
    balance.taken('s0');
    expect(balance.toHandOver(sessions(4), spread)).toEqual([]);
    advance(10 * beat);
    expect(balance.toHandOver(sessions(4), spread)).toEqual(['s0']);
  });
});

/** Processes sharing sessions beat by beat, as the supervisors do: renew and hand over, then take free ones. */
function simulateCluster(processes: number, sessions: number, beats: number) {
  let now = 0;
  const owners = new Map<string, number>();
  const ids = Array.from({ length: sessions }, (_, i) => `s${i}`);
  ids.forEach((id) => owners.set(id, 0));
  const balances = Array.from({ length: processes }, () =>
    createSessionBalance({ step: 2, heartbeatIntervalMs: beat, now: () => now }),
  );
  const held = (p: number) => ids.filter((id) => owners.get(id) === p);
  let moves = 0;
  let lastMoveAt = 0;
  for (let b = 1; b <= beats; b++) {
    now += beat;
    balances.forEach((balance, p) => {
      const least = Math.min(...balances.map((_, q) => held(q).length));
      for (const id of balance.toHandOver(
        held(p).map((sessionId) => ({ sessionId, movable: true })),
        { lost: [], members: processes, least },
      )) {
        owners.delete(id);
        moves += 1;
        lastMoveAt = b;
      }
      const free = ids.filter((id) => !owners.has(id));
      for (const id of balance.toTake(free, { wanted: sessions, mine: held(p).length, members: processes })) {
        owners.set(id, p);
        balance.taken(id);
      }
    });
  }
  const counts = balances.map((_, p) => held(p).length);
  return { counts, moves, lastMoveAt, unowned: ids.filter((id) => !owners.has(id)).length };
}

describe('a cluster sharing its sessions over many beats', () => {
  it.each([
    [2, 6],
    [3, 7],
    [3, 10],
    [4, 10],
    [3, 100],
  ])('with %i processes and %i sessions, settles within one of even and then stops moving', (p, n) => {
    const { counts, moves, lastMoveAt, unowned } = simulateCluster(p, n, 200);
    expect(unowned).toBe(0);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    // No session moves back and forth: a few moves each at most, all early.
    expect(moves).toBeLessThanOrEqual(2 * n);
    expect(lastMoveAt).toBeLessThan(200 - 30);
  });
});
