import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/eventually.js';
import { startOwnNats } from '../../../test-support/own-nats.js';
import { BusDisconnectedError } from './bus-errors.js';
import { createNatsBus } from './nats-bus.js';
import type { JsonValue } from '../event-store/port.js';

describe('a request while the NATS connection is down', () => {
  it('is refused at once, and never reaches its server once the connection is back', async () => {
    const nats = await startOwnNats();
    const [server, asker] = await Promise.all(
      [1, 2].map(() => createNatsBus({ url: nats.url, streamName: 'ZL_DOWN', subjectRoot: 'down' })),
    );
    try {
      const seen: JsonValue[] = [];
      await server!.serve('down_ctl.presence.x', (request) => {
        seen.push(request);
        return Promise.resolve({ present: true });
      });
      expect(await asker!.request('down_ctl.presence.x', { ask: 'first' }, 1000)).toEqual({ present: true });

      await nats.pause();
      // The client notices the dropped connection at once (the server closed it).
      await eventually(
        () =>
          asker!.request('down_ctl.presence.x', { ask: 'probe' }, 200).then(
            () => false,
            (e) => e instanceof BusDisconnectedError,
          ),
        5000,
      );
      const asked = Date.now();
      await expect(asker!.request('down_ctl.presence.x', { ask: 'refused' }, 3000)).rejects.toThrow(
        BusDisconnectedError,
      );
      expect(Date.now() - asked).toBeLessThan(500);

      await nats.resume();
      await eventually(
        () =>
          asker!.request('down_ctl.presence.x', { ask: 'again' }, 1000).then(
            () => true,
            () => false,
          ),
        20_000,
      );
      expect(seen).toContainEqual({ ask: 'again' });
      expect(seen).not.toContainEqual({ ask: 'refused' });
    } finally {
      await Promise.all([server?.close(), asker?.close()]);
      await nats.dispose();
    }
  });
});
