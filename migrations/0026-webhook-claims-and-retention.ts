import { sql, type Kysely } from 'kysely';

/**
 * Webhook deliveries, cheaper to claim and kept for a time only.
 *
 * `zl_claim_webhook_deliveries` does in one round trip what a lane's claim did in five (BEGIN, the per-webhook
 * advisory lock, the webhook's URL and secret, the claim, COMMIT), and answers when to look again when it found
 * nothing. Each statement of a volatile function reads a fresh snapshot, so the claim still sees every claim
 * committed before the lock was taken (which keeps a session's events in order across processes).
 *
 * `settled_at` is when a delivery was delivered or failed for good; the retention job deletes settled deliveries
 * older than `WEBHOOK_LOG_RETENTION_DAYS` through `webhook_deliveries_settled`, which holds settled rows only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_deliveries add column settled_at timestamptz`.execute(db);
  await sql`update webhook_deliveries set settled_at = coalesce(delivered_at, next_attempt_at)
    where status <> 'pending'`.execute(db);
  await sql`create index webhook_deliveries_settled on webhook_deliveries (settled_at)
    where status <> 'pending'`.execute(db);
  await sql`
    create function zl_claim_webhook_deliveries(p_webhook uuid, p_owner text, p_limit integer, p_lease_ms bigint)
    returns table (locked boolean, url text, secret_ciphertext text, deliveries jsonb, pending boolean,
      due timestamptz)
    language plpgsql volatile as $$
    #variable_conflict use_column
    declare
      hook record;
      claimed jsonb;
    begin
      if not pg_try_advisory_xact_lock(hashtextextended('webhook:' || p_webhook::text, 0)) then
        return query select false, null::text, null::text, null::jsonb, null::boolean, null::timestamptz;
        return;
      end if;
      select w.url, w.secret_ciphertext into hook from webhooks w where w.id = p_webhook and w.enabled;
      if not found then
        return query select true, null::text, null::text, '[]'::jsonb, false, null::timestamptz;
        return;
      end if;
      with holding as materialized (
        select session_id, min(seq) as seq from webhook_deliveries
        where webhook_id = p_webhook and status = 'pending' and (claimed_by is not null or attempts > 0)
          and (next_attempt_at > now() or claimed_until >= now())
        group by session_id
      ),
      candidates as (
        select d.webhook_id, d.seq from webhook_deliveries d
        where d.webhook_id = p_webhook and d.status = 'pending' and d.next_attempt_at <= now()
          and (d.claimed_until is null or d.claimed_until < now())
          and d.seq < coalesce((select h.seq from holding h where h.session_id = d.session_id),
            9223372036854775807)
        order by d.seq
        limit p_limit
        for update of d skip locked
      ),
      taken as (
        update webhook_deliveries d
        set claimed_until = now() + make_interval(secs => p_lease_ms / 1000.0), claimed_by = p_owner
        from candidates c, webhook_events e
        where d.webhook_id = c.webhook_id and d.seq = c.seq and e.event_id = d.event_id
        returning d.seq, d.event_id, d.session_id, e.company_id, e.type, e.occurred_at, e.data,
          e.correlation_id, d.attempts
      )
      select jsonb_agg(jsonb_build_object('id', t.seq::text, 'eventId', t.event_id, 'sessionId', t.session_id,
          'companyId', t.company_id, 'type', t.type, 'occurredAt', t.occurred_at, 'data', t.data,
          'correlationId', t.correlation_id, 'attempts', t.attempts) order by t.seq)
        into claimed from taken t;
      if claimed is not null then
        return query select true, hook.url, hook.secret_ciphertext, claimed, true, null::timestamptz;
        return;
      end if;
      -- Nothing to send now: when could a claim find something (a retry or a lease ends), if anything is pending.
      return query select true, hook.url, hook.secret_ciphertext, '[]'::jsonb,
        exists (select 1 from webhook_deliveries where webhook_id = p_webhook and status = 'pending'),
        (select min(case when next_attempt_at > now() then next_attempt_at
                         when claimed_until >= now() then claimed_until end)
         from webhook_deliveries
         where webhook_id = p_webhook and status = 'pending' and (claimed_by is not null or attempts > 0));
    end
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function zl_claim_webhook_deliveries(uuid, text, integer, bigint)`.execute(db);
  await sql`drop index webhook_deliveries_settled`.execute(db);
  await sql`alter table webhook_deliveries drop column settled_at`.execute(db);
}
