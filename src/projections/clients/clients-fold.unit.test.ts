import type { Insertable } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ClientsTable } from '../../adapters/db/read-model-schema.js';
import { foldClientRows } from './clients-projector.js';

const row = (id: string, name: string | null, seconds: number, created = '2026-01-01T00:00:00Z') =>
  ({
    Id: id,
    Company_Id: 'acme',
    Client_Name: name,
    Wa_Number: id,
    Profile_Picture_Url: null,
    Last_Contact_At: new Date(seconds * 1000),
    Created_At: created,
  }) satisfies Insertable<ClientsTable>;

describe('folding a batch of client rows', () => {
  it('given several messages of one number, keeps the first creation and the newest name and time', () => {
    const { folded, unfolded } = foldClientRows([
      row('a', 'Ana', 10, 'first'),
      row('a', 'Ana Maria', 30, 'second'),
      row('a', 'Old name', 20, 'third'),
    ]);
    expect(unfolded).toEqual([]);
    expect(folded).toEqual([{ ...row('a', 'Ana Maria', 30, 'first') }]);
  });

  it('given a newest message without a name, leaves that number to be applied in order', () => {
    const rows = [row('a', 'Bia', 3), row('a', null, 10), row('b', 'Caio', 5)];
    const { folded, unfolded } = foldClientRows(rows);
    expect(unfolded).toEqual([rows[0], rows[1]]);
    expect(folded).toEqual([rows[2]]);
  });

  it('given the messages of one number out of their order, keeps the earliest creation', () => {
    const { folded } = foldClientRows([
      row('a', 'Ana', 10, '2026-01-01T00:00:02Z'),
      row('a', 'Ana', 20, '2026-01-01T00:00:01Z'),
    ]);
    expect(folded[0]?.Created_At).toBe('2026-01-01T00:00:01Z');
  });
});
