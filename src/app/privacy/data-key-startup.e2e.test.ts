import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtSecret } from '../../../test-support/gateway-harness.js';
import { simulatorGatewayEnvironment } from '../../../test-support/gateway-services.js';
import { loadConfig } from '../../config.js';
import { DataKeyMismatchError } from '../../domain/privacy/privacy-errors.js';
import { startGateway } from '../../gateway.js';

/** The gateway on an embedded database kept in one folder across starts, with or without DATA_KEY. */
describe('starting the gateway with a DATA_KEY the store was not wrapped with', () => {
  let dataDir: string;
  const dataKey = randomBytes(32).toString('base64');
  const start = (key: string | undefined) =>
    startGateway(
      loadConfig({ ...simulatorGatewayEnvironment(dataDir, jwtSecret), ...(key ? { DATA_KEY: key } : {}) }),
    );

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'zapledger-data-key-'));
    const first = await start(dataKey);
    await first.stop();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses another key, and no key, saying why', async () => {
    await expect(start(randomBytes(32).toString('hex'))).rejects.toThrow(DataKeyMismatchError);
    await expect(start(undefined)).rejects.toThrow(/DATA_KEY is unset/);
  });

  it('starts again with the key it was created with', async () => {
    const again = await start(dataKey);
    await again.stop();
  });
});
