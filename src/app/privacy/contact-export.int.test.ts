import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  joao,
  joaoJid,
  joaoLid,
  openErasureTestBed,
  type ErasureTestBed,
} from '../../../test-support/erasure-test-bed.js';
import { databaseKinds } from '../../../test-support/test-databases.js';
import { contactHash } from '../../domain/privacy/contact-hash.js';
import { exportContact } from './export-contact.js';

/** The right of access after an erasure (the history of contact-erasure.int.test.ts, João erased in acme). */
describe.each(databaseKinds)('exporting an erased contact on %s', (kind) => {
  let bed: ErasureTestBed;
  const db = () => bed.db();
  const contactOf = (companyId: string) => ({
    phone: joao,
    contactHash: contactHash(bed.privacy.hashSalt, companyId, joao),
  });

  beforeAll(async () => {
    bed = await openErasureTestBed(kind);
    await bed.eraseJoao();
  });
  afterAll(async () => {
    await bed?.dispose();
  });

  it("exports the contact's rows by its linked-device id too", async () => {
    const exported = await exportContact(db(), 'acme', contactOf('acme'));
    expect(exported.chats.map((row) => row.Chat_Id)).toEqual(expect.arrayContaining([joaoJid, joaoLid]));
    const ids = exported.messages.map((row) => row.Wa_Message_Id);
    expect(ids).toEqual(expect.arrayContaining(['in-lid-0', 'in-joao-0']));
    // What he wrote in groups before his erasure no longer names him (its sender was erased with it).
    expect(ids).not.toContain('in-group-joao');
  });

  it("exports the contact's rows of the caller's company only", async () => {
    const exported = await exportContact(db(), 'globex', contactOf('globex'));
    expect(exported.clients).toHaveLength(1);
    expect(exported.chats).toHaveLength(1);
    expect(JSON.stringify(exported.messages)).toContain('Oi 3');
    expect(exported.messages.every((row) => row.Company_Id === 'globex')).toBe(true);
  });
});
