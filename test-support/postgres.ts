import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { GenericContainer, Wait } from 'testcontainers';
import { dockerAnswers } from './docker.js';
import { ServiceUnavailableError } from './service-unavailable-error.js';

const localDefault = 'postgres://postgres@127.0.0.1:5432/test';
let server: Promise<string> | undefined;

/**
 * A PostgreSQL server URL for tests: TEST_DATABASE_URL, else the local default, else a testcontainers
 * PostgreSQL when Docker answers; otherwise a ServiceUnavailableError that says what to provide.
 */
export function testPostgresServer(): Promise<string> {
  server ??= (async () => {
    const fromEnv = process.env.TEST_DATABASE_URL;
    if (fromEnv) return fromEnv;
    if (await reachable(localDefault)) return localDefault;
    if (await dockerAnswers()) {
      const container = await new GenericContainer('postgres:15')
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
        .withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
        .start();
      return `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
    }
    throw new ServiceUnavailableError('PostgreSQL', 'TEST_DATABASE_URL', localDefault);
  })();
  return server;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test server, for one test file; drop it when done. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const serverUrl = await testPostgresServer();
  const name = `zl_${label.replace(/\W/g, '_').slice(0, 30)}_${randomBytes(5).toString('hex')}`.toLowerCase();
  await withAdmin(serverUrl, (client) => client.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withAdmin(serverUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
