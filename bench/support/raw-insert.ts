import pg from 'pg';

/**
 * The machine's own limit for the ingest figures: rows inserted per second straight into a bare copy of the
 * Messages table (same columns, no index, no constraint), in multi-row INSERTs of 500, one round trip each.
 * `rows` are taken from the Messages table the benchmark just filled.
 */
export async function rawInsertRowsPerSecond(databaseUrl: string, maxRows = 50_000): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('create table bench_raw_messages (like "Messages")');
    const { rows, fields } = await client.query<Record<string, unknown>>(
      `select * from "Messages" limit ${maxRows}`,
    );
    const columns = fields.map((field) => `"${field.name}"`).join(', ');
    const started = performance.now();
    for (let start = 0; start < rows.length; start += 500) {
      const batch = rows.slice(start, start + 500);
      const values: unknown[] = [];
      const tuples = batch.map((row) => {
        const placeholders = fields.map((field) => `$${values.push(row[field.name])}`);
        return `(${placeholders.join(', ')})`;
      });
      await client.query(`insert into bench_raw_messages (${columns}) values ${tuples.join(', ')}`, values);
    }
    const seconds = (performance.now() - started) / 1000;
    return Math.round(rows.length / seconds);
  } finally {
    await client.query('drop table if exists bench_raw_messages');
    await client.end();
  }
}
