import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../adapters/event-store/port.js';
import type { CommittedEventsListener } from './committed-events.js';
import { watchConnectedHere } from './connected-here.js';

const event = (type: string, sessionId = 's1') =>
  ({ id: `${type}-${sessionId}`, type, data: {}, metadata: { sessionId } }) as unknown as RecordedEvent;

function world() {
  let committedListener: CommittedEventsListener = () => undefined;
  let readyListener: (sessionId: string) => void = () => undefined;
  const drivers = new Set<string>();
  const calls: string[] = [];
  const stop = watchConnectedHere(
    { listen: (listener) => ((committedListener = listener), () => undefined) },
    {
      driverSession: (sessionId) => (drivers.has(sessionId) ? {} : undefined),
      onDriverReady: (listener) => ((readyListener = listener), () => undefined),
    },
    (connected, sessionId) => calls.push(`${sessionId}:${connected.id}`),
  );
  return {
    calls,
    stop,
    commit: (...events: RecordedEvent[]) => committedListener(events),
    driverReady: (sessionId: string) => {
      drivers.add(sessionId);
      readyListener(sessionId);
    },
  };
}

describe('a session connected on this process', () => {
  it('is announced when its driver had started before it connected (a QR code scanned)', () => {
    const { calls, commit, driverReady } = world();
    driverReady('s1');
    commit(event('SessionConnected'));
    expect(calls).toEqual(['s1:SessionConnected-s1']);
  });

  it('is announced once its driver has started when it connected first (a restored login)', () => {
    const { calls, commit, driverReady } = world();
    commit(event('SessionConnected'));
    expect(calls).toEqual([]);
    driverReady('s1');
    driverReady('s1');
    expect(calls).toEqual(['s1:SessionConnected-s1']);
  });

  it('is not announced when its connection ended before its driver started', () => {
    const { calls, commit, driverReady } = world();
    commit(event('SessionConnected'), event('SessionFailed'));
    driverReady('s1');
    expect(calls).toEqual([]);
  });

  it('is announced for each session on its own', () => {
    const { calls, commit, driverReady } = world();
    commit(event('SessionConnected', 's1'), event('SessionConnected', 's2'));
    driverReady('s2');
    expect(calls).toEqual(['s2:SessionConnected-s2']);
  });
});
