import { startEventStoreDbEmulator } from './eventstoredb-emulator/start-eventstoredb-emulator.js';
import { startTestGateway, type TestGateway } from './gateway-harness.js';

/**
 * The gateway on PostgreSQL and NATS with EventStoreDB as its event store (the emulator), started with `env`;
 * `dispose` stops both.
 */
export async function startEventStoreDbGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const emulator = await startEventStoreDbEmulator();
  let api: TestGateway;
  try {
    api = await startTestGateway('postgres+nats', {
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: emulator.connectionString,
      ...env,
    });
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  return {
    ...api,
    async dispose() {
      await api.dispose();
      await emulator.stop();
    },
  };
}
