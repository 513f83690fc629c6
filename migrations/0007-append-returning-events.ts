import { sql, type Kysely } from 'kysely';

/**
 * zl_append_many (0006) also answers which events it stored, at which positions, in which transaction and at
 * what time: the writer projects them inline in the same transaction and hands them to its relay after the
 * commit, without reading back what it has just written. The rules of each append are those of 0006.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop function zl_append_many`.execute(db);
  await sql`
    create function zl_append_many(
      stream_names text[],
      expectations text[],
      event_counts integer[],
      event_ids uuid[],
      event_types text[],
      event_data jsonb[],
      event_metadata jsonb[]
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
      first_event integer := 1;
      last_event integer;
      current_revision bigint;
      stored uuid[];
      expected text;
      anything_appended boolean := false;
    begin
      transaction_id := pg_current_xact_id()::text;
      recorded_at := now();
      for item in 1 .. coalesce(array_length(stream_names, 1), 0) loop
        last_event := first_event + event_counts[item] - 1;
        insert into streams (stream_name, revision) values (stream_names[item], -1)
          on conflict (stream_name) do nothing;
        select s.revision into current_revision from streams s
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
          with inserted as (
            insert into events (event_id, stream_name, stream_revision, event_type, data, metadata)
            select fresh.id, stream_names[item], current_revision + row_number() over (order by fresh.ordinal),
                   fresh.type, fresh.data, fresh.metadata
            from unnest(event_ids[first_event:last_event], event_types[first_event:last_event],
                        event_data[first_event:last_event], event_metadata[first_event:last_event])
                 with ordinality as fresh(id, type, data, metadata, ordinal)
            where fresh.id <> all (stored)
            order by fresh.ordinal
            returning events.event_id, events.position, events.stream_revision)
          select count(*)::integer,
                 coalesce(array_agg(inserted.event_id order by inserted.stream_revision), '{}'),
                 coalesce(array_agg(inserted.position order by inserted.stream_revision), '{}')
            into appended_count, appended_ids, appended_positions
            from inserted;
          if appended_count > 0 then
            current_revision := current_revision + appended_count;
            update streams set revision = current_revision where stream_name = stream_names[item];
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
  const { up: previous } = await import('./0006-append-many.js');
  await previous(db);
}
