import { sql, type Kysely } from 'kysely';
import type { ReadModelSchema } from '../read-model-schema.js';
import type { SecretBox } from './secret-box.js';

/** A webhook as the API shows it (never its secret, which only its creation reply carries). */
export interface Webhook {
  id: string;
  companyId: string;
  sessionId: string | null;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewWebhook {
  id: string;
  companyId: string;
  sessionId: string | null;
  url: string;
  events: string[];
  secret: string;
}

export type WebhookChanges = Partial<Pick<Webhook, 'url' | 'events' | 'enabled'>>;

interface WebhookRow {
  id: string;
  company_id: string;
  session_id: string | null;
  url: string;
  events: string[];
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const columns = sql`id, company_id, session_id, url, events, enabled, created_at, updated_at`;

/**
 * The webhooks each company registered. Every read and change names the company, so one company never reaches
 * another's webhook. Secrets are sealed before they are stored (SecretBox).
 */
export function createWebhookRegistry(db: Kysely<ReadModelSchema>, box: SecretBox) {
  return {
    async create(webhook: NewWebhook): Promise<Webhook> {
      const { rows } = await sql<WebhookRow>`
        insert into webhooks (id, company_id, session_id, url, events, secret_ciphertext)
        values (${webhook.id}, ${webhook.companyId}, ${webhook.sessionId}, ${webhook.url},
          ${webhook.events}::text[], ${box.seal(webhook.secret)})
        returning ${columns}`.execute(db);
      return toWebhook(rows[0]!);
    },

    async list(companyId: string): Promise<Webhook[]> {
      const { rows } = await sql<WebhookRow>`select ${columns} from webhooks
        where company_id = ${companyId} order by created_at, id`.execute(db);
      return rows.map(toWebhook);
    },

    async get(companyId: string, id: string): Promise<Webhook | undefined> {
      const { rows } = await sql<WebhookRow>`select ${columns} from webhooks
        where company_id = ${companyId} and id = ${id}`.execute(db);
      return rows[0] && toWebhook(rows[0]);
    },

    async update(companyId: string, id: string, changes: WebhookChanges): Promise<Webhook | undefined> {
      const { rows } = await sql<WebhookRow>`update webhooks set
          url = coalesce(${changes.url ?? null}, url),
          events = coalesce(${changes.events ?? null}::text[], events),
          enabled = coalesce(${changes.enabled ?? null}, enabled),
          updated_at = now()
        where company_id = ${companyId} and id = ${id}
        returning ${columns}`.execute(db);
      return rows[0] && toWebhook(rows[0]);
    },

    /** Deletes the webhook and its deliveries; false when the company has no such webhook. */
    async remove(companyId: string, id: string): Promise<boolean> {
      const result = await sql`delete from webhooks where company_id = ${companyId} and id = ${id}`.execute(
        db,
      );
      return (result.numAffectedRows ?? 0n) > 0n;
    },

    /** The enabled webhooks of every company (id and company): the worker runs one lane per webhook. */
    async enabled(): Promise<{ id: string; companyId: string }[]> {
      const { rows } = await sql<{ id: string; company_id: string }>`select id, company_id from webhooks
        where enabled`.execute(db);
      return rows.map((row) => ({ id: row.id, companyId: row.company_id }));
    },
  };
}

export type WebhookRegistry = ReturnType<typeof createWebhookRegistry>;

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    companyId: row.company_id,
    sessionId: row.session_id,
    url: row.url,
    events: row.events,
    enabled: row.enabled,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
