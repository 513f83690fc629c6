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
