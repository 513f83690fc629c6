import { describe, expect, it } from 'vitest';
import { startOwnNats } from '../../../test-support/own-nats.js';
import { BusDisconnectedError } from './bus-errors.js';
import { createNatsBus } from './nats-bus.js';

describe('a request while the NATS connection is down', () => {
  it('is refused at once, and never reaches its server once the connection is back', async () => {
    const nats = await startOwnNats();
    const [server, asker] = await Promise.all(
      [1, 2].map(() => createNatsBus({ url: nats.url, streamName: 'ZL_DOWN', subjectRoot: 'down' })),
    );
    try {
      let served = 0;
      await server!.serve('down_ctl.presence.x', () => {
        served += 1;
        return Promise.resolve({ present: true });
      });
      expect(await asker!.request('down_ctl.presence.x', {}, 1000)).toEqual({ present: true });

      await nats.pause();
      // The client notices the dropped connection at once (the server closed it).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const asked = Date.now();
      await expect(asker!.request('down_ctl.presence.x', {}, 3000)).rejects.toThrow(BusDisconnectedError);
      expect(Date.now() - asked).toBeLessThan(500);

      await nats.resume();
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(served).toBe(1);
      expect(await asker!.request('down_ctl.presence.x', {}, 3000)).toEqual({ present: true });
    } finally {
      await Promise.all([server?.close(), asker?.close()]);
      await nats.dispose();
    }
  });
});
