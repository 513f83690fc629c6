import { sql, type Kysely } from 'kysely';

/**
 * Linking by phone number: a session's status may be 4 (pairing, waiting for the code to be entered on the
 * phone), and the Sessions row keeps the current pairing code as it keeps the current QR code. A database
 * created from 0002 onwards has them already (0002 holds the current shape, which rebuilds copy).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "Sessions" drop constraint if exists "Sessions_Status_check"`.execute(db);
  await sql`alter table "Sessions" add constraint "Sessions_Status_check" check ("Status" between 0 and 4)`.execute(
    db,
  );
  await sql`alter table "Sessions" add column if not exists "Pairing_Code" text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update "Sessions" set "Status" = 0 where "Status" = 4`.execute(db);
  await sql`alter table "Sessions" drop column "Pairing_Code"`.execute(db);
  await sql`alter table "Sessions" drop constraint if exists "Sessions_Status_check"`.execute(db);
  await sql`alter table "Sessions" add constraint "Sessions_Status_check" check ("Status" between 0 and 3)`.execute(
    db,
  );
}
