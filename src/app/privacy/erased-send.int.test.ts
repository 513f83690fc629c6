import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joaoJid, openErasureTestBed, type ErasureTestBed } from '../../../test-support/erasure-test-bed.js';
import { eventually } from '../../../test-support/eventually.js';
import { textOnlyOutbox } from '../../../test-support/text-outbox.js';
import { databaseKinds } from '../../../test-support/test-databases.js';
import { pendingSends } from '../../projections/messages/pending-sends.js';
import { busMessageOf } from '../bus-message-of.js';

/** README, "Privacy: crypto-shredding": a send still waiting in the outbox when its contact is erased. */
describe.each(databaseKinds)('a send to a contact erased while it waits, on %s', (kind) => {
  let bed: ErasureTestBed;
  const db = () => bed.db();
  const store = () => bed.store;

  beforeAll(async () => {
    bed = await openErasureTestBed(kind);
    await bed.eraseJoao();
  });
  afterAll(async () => {
    await bed?.dispose();
  });

  it('fails for good a send still pending to the erased contact, and never sends it', async () => {
    const { outbox, sent, close } = textOnlyOutbox(store());
    try {
      // One taken up after a restart (read back from the store, erased), one from a copy that still carries
      // its text in clear (as the bus fans out what the appending process was given).
      const [afterRestart, inClear] = bed.pending;
      const waiting = (await pendingSends(db())).filter((send) => send.messageId === afterRestart!.messageId);
      expect(waiting).toHaveLength(1);
      await outbox.recover(waiting);
      outbox.takeUpCommitted([inClear!.clear]);
      expect(busMessageOf(inClear!.clear).data.body).toBe('Chega amanhã');
      await eventually(async () => {
        const failures = (await store().readStream(`chat-${bed.acmeSession}_${joaoJid}`)).filter(
          (event) => event.type === 'MessageSendFailed',
        );
        return failures.length === 2;
      });
      const events = await store().readStream(`chat-${bed.acmeSession}_${joaoJid}`);
      for (const { messageId } of bed.pending) {
        const settled = events.filter((event) => event.data.messageId === messageId);
        expect(settled.map((event) => event.type)).toEqual(['MessageSendRequested', 'MessageSendFailed']);
        expect(settled[1]!.data).toMatchObject({ reason: 'the contact was erased', final: true });
      }
      expect(sent).toEqual([]);
      expect((await pendingSends(db())).map((send) => send.messageId)).not.toContain(afterRestart!.messageId);
    } finally {
      await close();
    }
  });
});
