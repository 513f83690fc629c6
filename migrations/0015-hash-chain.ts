import { sql, type Kysely } from 'kysely';
import { backfillEventHashes } from '../src/adapters/audit/backfill-event-hashes.js';

/**
 * Tamper evidence. Each event gets `hash`, chaining it to the previous event of its stream (see
 * src/domain/audit/event-hash.ts for the bytes), and each stream keeps its head hash beside its revision.
 * zl_append_many takes each event's content hash from the writer and chains it here, where the revision, the
 * previous hash (in the stream row it locks anyway) and the recorded time are known, so group commit still
 * writes every append of a group in one statement. Events stored before this migration are hashed by it.
 *
 * Anchors sign, every AUDIT_ANCHOR_INTERVAL_MS, a Merkle root over the heads of the streams that changed since
 * the previous anchor (`anchored_revision` says how far each stream is covered); audit_signing_keys keeps the
 * generated key when AUDIT_SIGNING_KEY is unset.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table events add column hash bytea`.execute(db);
  await sql`alter table streams
    add column head_hash bytea,
    add column anchored_revision bigint not null default -1`.execute(db);
  await sql`
    create table audit_anchors (
      sequence bigint primary key,
      payload text not null,
      signature text not null,
      public_key text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table audit_anchor_heads (
      anchor_sequence bigint not null references audit_anchors (sequence),
      stream_name text not null,
      revision bigint not null,
      hash bytea not null,
      primary key (anchor_sequence, stream_name)
    )`.execute(db);
  await sql`create index audit_anchor_heads_by_stream on audit_anchor_heads (stream_name, revision)`.execute(
    db,
  );
  await sql`
    create table audit_signing_keys (
      name text primary key,
      private_key text not null,
      public_key text not null,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`alter table events disable trigger events_immutable`.execute(db);
  await backfillEventHashes(db);
  await sql`alter table events enable trigger events_immutable`.execute(db);

  await sql`drop function zl_append_many`.execute(db);
  await sql`
    create function zl_append_many(
      stream_names text[],
      expectations text[],
      event_counts integer[],
      event_ids uuid[],
      event_types text[],
      event_data jsonb[],
      event_metadata jsonb[],
      content_hashes text[]
    ) returns table (
      result text,
      last_revision bigint,
      appended_count integer,
      appended_ids uuid[],
      appended_positions bigint[],
      transaction_id text,
      recorded_at timestamptz
    )
    language plpgsql
    -- A cached generic plan does not know how many ids are looked up and scans the whole events table.
    set plan_cache_mode = force_custom_plan
    as $$
    declare
      item integer;
      at_event integer;
      first_event integer := 1;
      last_event integer;
      current_revision bigint;
      head bytea;
      recorded_micros bigint;
      stored uuid[];
      expected text;
      anything_appended boolean := false;
      fresh_events integer[];
      fresh_hashes bytea[];
    begin
      transaction_id := pg_current_xact_id()::text;
      recorded_at := now();
      recorded_micros := (extract(epoch from recorded_at) * 1000000)::bigint;
      for item in 1 .. coalesce(array_length(stream_names, 1), 0) loop
        last_event := first_event + event_counts[item] - 1;
        insert into streams (stream_name, revision) values (stream_names[item], -1)
          on conflict (stream_name) do nothing;
        select s.revision, coalesce(s.head_hash, decode(repeat('00', 32), 'hex'))
          into current_revision, head from streams s
          where s.stream_name = stream_names[item] for update;
        select coalesce(array_agg(e.event_id), '{}') into stored from events e
          where e.event_id = any (event_ids[first_event:last_event]);
        expected := expectations[item];
        appended_count := 0;
        appended_ids := '{}';
        appended_positions := '{}';
        if event_counts[item] > 0 and cardinality(stored) = (
          select count(distinct id) from unnest(event_ids[first_event:last_event]) as id) then
          result := 'duplicate';
        elsif expected = 'any'
          or (expected = 'no_stream' and current_revision < 0)
          or (expected = 'stream_exists' and current_revision >= 0)
          or (expected ~ '^[0-9]+$' and current_revision = expected::bigint) then
          -- The chain: each new event's hash covers the previous one's (see src/domain/audit/event-hash.ts).
          fresh_events := '{}';
          fresh_hashes := '{}';
          for at_event in first_event .. last_event loop
            continue when event_ids[at_event] = any (stored);
            head := sha256(head || decode(content_hashes[at_event], 'hex')
              || int8send(current_revision + cardinality(fresh_events) + 1) || int8send(recorded_micros));
            fresh_events := fresh_events || at_event;
            fresh_hashes := fresh_hashes || head;
          end loop;
          with inserted as (
            insert into events (event_id, stream_name, stream_revision, event_type, data, metadata, recorded_at, hash)
            select event_ids[fresh.event], stream_names[item], current_revision + fresh.ordinal,
                   event_types[fresh.event], event_data[fresh.event], event_metadata[fresh.event], recorded_at,
                   fresh.chained
            from unnest(fresh_events, fresh_hashes) with ordinality as fresh(event, chained, ordinal)
            order by fresh.ordinal
            returning events.event_id, events.position, events.stream_revision)
          select count(*)::integer,
                 coalesce(array_agg(inserted.event_id order by inserted.stream_revision), '{}'),
                 coalesce(array_agg(inserted.position order by inserted.stream_revision), '{}')
            into appended_count, appended_ids, appended_positions
            from inserted;
          if appended_count > 0 then
            current_revision := current_revision + appended_count;
            update streams set revision = current_revision, head_hash = head
              where stream_name = stream_names[item];
            anything_appended := true;
          end if;
          result := 'appended';
        else
          result := 'conflict';
        end if;
        last_revision := current_revision;
        return next;
        first_event := last_event + 1;
      end loop;
      -- Delivered at commit: a wake-up for subscribers in other processes, who also poll in case it is missed.
      if anything_appended then
        perform pg_notify('zapledger_events', '');
      end if;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function zl_append_many`.execute(db);
  const { up: previous } = await import('./0007-append-returning-events.js');
  await previous(db);
  await sql`drop table audit_signing_keys`.execute(db);
  await sql`drop table audit_anchor_heads`.execute(db);
  await sql`drop table audit_anchors`.execute(db);
  await sql`alter table streams drop column head_hash, drop column anchored_revision`.execute(db);
  await sql`alter table events drop column hash`.execute(db);
}
