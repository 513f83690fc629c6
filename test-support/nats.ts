import { connect } from 'nats';
import { GenericContainer, Wait } from 'testcontainers';
import { dockerAnswers } from './docker.js';
import { ServiceUnavailableError } from './service-unavailable-error.js';

const localDefault = 'nats://127.0.0.1:4222';
let server: Promise<string> | undefined;

/**
 * A NATS server with JetStream for tests: TEST_NATS_URL, else the local default, else a testcontainers
 * `nats:2.10 -js` when Docker answers; otherwise a ServiceUnavailableError that says what to provide.
 *
 * @example
 * const bus = await createNatsBus({ url: await testNatsUrl(), streamName: `ZL_TEST_${suffix}` });
 */
export function testNatsUrl(): Promise<string> {
  server ??= (async () => {
    const fromEnv = process.env.TEST_NATS_URL;
    if (fromEnv) return fromEnv;
    if (await reachable(localDefault)) return localDefault;
    if (await dockerAnswers()) {
      const container = await new GenericContainer('nats:2.10')
        .withCommand(['-js'])
        .withExposedPorts(4222)
        .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
        .start();
      return `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
    }
    throw new ServiceUnavailableError('NATS server with JetStream', 'TEST_NATS_URL', localDefault);
  })();
  return server;
}

/** Removes a stream a test created (and its consumers); a stream already gone is fine. */
export async function deleteTestStream(url: string, streamName: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(streamName).catch(() => false);
  } finally {
    await nc.close();
  }
}

async function reachable(url: string): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: 2000, maxReconnectAttempts: 0 });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}
