import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';

export interface RealEventStoreDb {
  connectionString: string;
  stop(): Promise<void>;
}

const IMAGE = 'eventstore/eventstore:24.10';
const HTTP_PORT = 2113;
const SKIPPED =
  'Real EventStoreDB not tested: set TEST_EVENTSTORE_URL (e.g. esdb://localhost:2113?tls=false) or make a Docker engine available';

/**
 * A real EventStoreDB for integration tests: the one at `TEST_EVENTSTORE_URL`, else a throwaway insecure
 * in-memory node started with Docker, else the reason there is none.
 *
 * @example
 * const real = await realEventStoreDb();
 * if ('skipped' in real) console.warn(real.skipped);
 * else await real.stop();
 */
export async function realEventStoreDb(): Promise<RealEventStoreDb | { skipped: string }> {
  const url = process.env['TEST_EVENTSTORE_URL'];
  if (url) return { connectionString: url, stop: () => Promise.resolve() };
  if (!(await dockerAnswers())) return { skipped: SKIPPED };
  const container = await new GenericContainer(IMAGE)
    .withEnvironment({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'None',
      EVENTSTORE_MEM_DB: 'true',
      EVENTSTORE_CLUSTER_SIZE: '1',
    })
    .withExposedPorts(HTTP_PORT)
    .withWaitStrategy(Wait.forHttp('/health/live', HTTP_PORT).forStatusCode(204))
    .withStartupTimeout(120_000)
    .start();
  return {
    connectionString: `esdb://${container.getHost()}:${container.getMappedPort(HTTP_PORT)}?tls=false`,
    stop: async () => {
      await container.stop();
    },
  };
}

async function dockerAnswers(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    // testcontainers found no working runtime: there is nothing to start a container with.
    return false;
  }
}
