import { afterAll } from 'vitest';
import {
  startEventStoreDbEmulator,
  type EventStoreDbEmulator,
} from '../../../../test-support/eventstoredb-emulator/start-eventstoredb-emulator.js';
import { eventStoreContract } from '../event-store.contract.js';
import { createEventStoreDbEventStore } from './eventstoredb-event-store.js';

let emulator: EventStoreDbEmulator | undefined;

eventStoreContract('eventstoredb (emulator)', async () => {
  emulator = await startEventStoreDbEmulator();
  return createEventStoreDbEventStore(emulator.connectionString);
});

afterAll(async () => {
  await emulator?.stop();
});
