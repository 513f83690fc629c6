import { sql, type Kysely } from 'kysely';
import type { LoginStore } from './login-store.js';
import type { SentLog } from './sent-log.js';
import {
  createMemorySimulatedFiles,
  fileGoneError,
  keptFilesPerSession,
  type SimulatedFiles,
} from './simulated-files.js';

/**
 * The simulator's linked phones in the shared database (migrations/0011), so that whichever process takes a
 * session over restores it without a new QR code, as a real WhatsApp login would. A local copy answers `has`;
 * `refresh` brings one session's entry up to date before it starts.
 */
export async function openPostgresLoginStore<T>(db: Kysely<T>): Promise<LoginStore> {
  const { rows } = await sql<{ session_id: string; wa_id: string }>`
    select session_id, wa_id from simulator_logins`.execute(db);
  const logins = new Map(rows.map((row) => [row.session_id, row.wa_id]));
  return {
    async refresh(sessionId) {
      const { rows: found } = await sql<{ wa_id: string }>`
        select wa_id from simulator_logins where session_id = ${sessionId}`.execute(db);
      if (found[0]) logins.set(sessionId, found[0].wa_id);
      else logins.delete(sessionId);
    },
    has: (sessionId) => logins.has(sessionId),
    waIdOf: (sessionId) => logins.get(sessionId),
    async save(sessionId, waId) {
      await sql`insert into simulator_logins (session_id, wa_id) values (${sessionId}, ${waId})
        on conflict (session_id) do update set wa_id = excluded.wa_id, linked_at = now()`.execute(db);
      logins.set(sessionId, waId);
    },
    async remove(sessionId) {
      await sql`delete from simulator_logins where session_id = ${sessionId}`.execute(db);
      logins.delete(sessionId);
    },
  };
}

/** The simulator's log of sends in the shared database: readable from any process. */
export function createPostgresSentLog<T>(db: Kysely<T>): SentLog {
  return {
    async record({ entryId, sessionId, waMessageId, to, type, body }) {
      await sql`insert into simulator_sent (entry_id, session_id, wa_message_id, to_jid, type, body)
        values (${entryId}, ${sessionId}, ${waMessageId}, ${to}, ${type}, ${body})
        on conflict (entry_id) do nothing`.execute(db);
    },
    async list(sessionId) {
      const { rows } = await sql<{ id: string; to: string; type: string; body: string; sent_at: Date }>`
        select wa_message_id as id, to_jid as to, type, body, sent_at from simulator_sent
        where session_id = ${sessionId} order by position`.execute(db);
      return rows.map(({ sent_at, ...sent }) => ({ ...sent, sentAt: new Date(sent_at).toISOString() }));
    },
  };
}

/**
 * The simulated WhatsApp's files in the shared database (migrations/0034), so that a process that takes a session
 * over downloads what another received; the process that kept a file answers from memory.
 */
export function createPostgresSimulatedFiles<T>(db: Kysely<T>): SimulatedFiles {
  const local = createMemorySimulatedFiles();
  return {
    async keep(sessionId, waMessageId, data) {
      await sql`insert into simulator_files (session_id, wa_message_id, data)
        values (${sessionId}, ${waMessageId}, ${data})
        on conflict (session_id, wa_message_id) do update set data = excluded.data`.execute(db);
      await sql`delete from simulator_files where session_id = ${sessionId} and position <= (
          select position from simulator_files where session_id = ${sessionId}
          order by position desc offset ${keptFilesPerSession} limit 1)`.execute(db);
      await local.keep(sessionId, waMessageId, data);
    },
    async download(sessionId, waMessageId) {
      try {
        return await local.download(sessionId, waMessageId);
      } catch {
        const { rows } = await sql<{ data: Buffer }>`select data from simulator_files
          where session_id = ${sessionId} and wa_message_id = ${waMessageId}`.execute(db);
        if (!rows[0]) throw fileGoneError(waMessageId);
        return rows[0].data;
      }
    },
  };
}
