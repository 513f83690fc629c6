import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../../test-support/test-databases.js';
import { generateWebhookSecret } from '../../../domain/webhooks/webhook-signature.js';
import type { RecordedEvent } from '../../event-store/port.js';
import { readModelDb } from '../read-model-db.js';
import type { ReadModelSchema } from '../read-model-schema.js';
import { createSecretBox } from './secret-box.js';
import { webhookFanOut } from './webhook-fan-out.js';
import { createWebhookRegistry } from './webhook-registry.js';

interface PlanNode {
  'Node Type': string;
  'Actual Loops': number;
  'Rows Removed by Join Filter'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** The most rows any step of the plan read and threw away, over all its loops. */
function mostRowsThrownAway(node: PlanNode): number {
  const perLoop = (node['Rows Removed by Join Filter'] ?? 0) + (node['Rows Removed by Filter'] ?? 0);
  return Math.max(perLoop * node['Actual Loops'], ...(node.Plans ?? []).map(mostRowsThrownAway));
}

describe('the webhook fan-out statement (PostgreSQL)', () => {
  let database: MigratedTestDatabase;
  const box = createSecretBox('test key material that is long enough');

  beforeAll(async () => {
    database = await openMigratedTestDatabase('postgres', 'webhook_fan_out_plan');
  });
  afterAll(async () => {
    await database?.dispose();
  });

  // The rows it compares, not its time: its joins between the statement's own parts once compared every queued
  // delivery with every other (a batch of 500 messages to 10 webhooks took seconds, and intake collapsed).
  it('queues a large batch without comparing every delivery with every other, or with those held', async () => {
    const registry = createWebhookRegistry(readModelDb(database.database.db), box);
    for (let n = 0; n < 5; n++)
      await registry.create({
        id: randomUUID(),
        companyId: 'acme',
        sessionId: null,
        url: `http://127.0.0.1:9/hook/${n}`,
        events: ['message'],
        secret: generateWebhookSecret(),
      });
    const batch = (from: number): RecordedEvent[] =>
      Array.from({ length: 300 }, (_, index) => {
        const n = from + index;
        return {
          id: randomUUID(),
          type: 'MessageReceived',
          streamName: `chat-s${n % 10}_1@c.us`,
          revision: 0n,
          position: BigInt(n + 1),
          checkpoint: `0:${n + 1}`,
          data: { body: `message ${n}` },
          metadata: { companyId: 'acme', sessionId: `s${n % 10}` },
          recordedAt: new Date(),
        };
      });
    const statements: CompiledQuery[] = [];
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const logged = new Kysely<ReadModelSchema>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => void (event.level === 'query' && statements.push(event.query)),
    });
    try {
      const fanOut = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours: 1 });
      fanOut.firstAttempts.take(() => undefined);
      // A first batch is queued and held here for its first attempts, as while deliveries fall behind.
      await logged.transaction().execute((trx) => fanOut(trx, batch(0), { claim: true }));
      statements.length = 0;
      // Run once to capture the statement, rolled back, then explained as the append's transaction runs it.
      await logged
        .transaction()
        .execute(async (trx) => {
          await fanOut(trx, batch(300), { claim: true });
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
      const fanOutStatements = statements.filter((statement) => statement.sql.includes('webhook_deliveries'));
      expect(fanOutStatements).toHaveLength(1);
      const statement = fanOutStatements[0]!;
      const client = await pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          `explain (analyze, format json) ${statement.sql}`,
          [...statement.parameters],
        );
        await client.query('rollback');
        const plan = rows[0]!['QUERY PLAN'][0].Plan;
        // 1,500 deliveries: a join that compares each with each throws 2,250,000 rows away, and asking each
        // session for pending deliveries not held here by stepping over those held, 225,000.
        expect(mostRowsThrownAway(plan)).toBeLessThan(10 * 1_500);
      } finally {
        client.release();
      }
    } finally {
      await logged.destroy();
    }
  });
});

class RolledBack extends Error {
  override name = 'RolledBack';
}
