import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteTestStream, testNatsUrl } from './nats.js';
import { createTestDatabase } from './postgres.js';

/** The settings of a simulator gateway on a free local port, quiet, signing with `jwtSecret`. */
export function simulatorGatewayEnvironment(dataDir: string, jwtSecret: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    WA_DRIVER: 'simulator',
    JWT_SECRET: jwtSecret,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  };
}

export interface GatewayServices {
  /** Settings for a simulator gateway on these services; add to them as needed. */
  env: Record<string, string>;
  /** The bus subject root of this gateway (other runs share the NATS server). */
  subjectRoot: string;
  databaseUrl: string;
  dispose(): Promise<void>;
}

/**
 * A new database, NATS stream, subject root and data folder for one gateway (or several processes that share
 * them, as replicas do); `dispose` removes them all.
 */
export async function openGatewayServices(label: string, jwtSecret: string): Promise<GatewayServices> {
  const dataDir = await mkdtemp(join(tmpdir(), `zapledger-${label}-`));
  const database = await createTestDatabase(label);
  const natsUrl = await testNatsUrl();
  const suffix = randomBytes(4).toString('hex');
  const stream = `ZL_${label.toUpperCase().replace(/\W/g, '_')}_${suffix.toUpperCase()}`;
  return {
    env: {
      ...simulatorGatewayEnvironment(dataDir, jwtSecret),
      DATABASE_URL: database.url,
      NATS_URL: natsUrl,
      NATS_STREAM: stream,
    },
    subjectRoot: `${label.replace(/\W/g, '').toLowerCase()}${suffix}`,
    databaseUrl: database.url,
    async dispose() {
      await deleteTestStream(natsUrl, stream);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
