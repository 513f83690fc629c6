import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSimulatorDriver } from '../../src/adapters/whatsapp/simulator/simulator-driver.js';
import type { DriverCallbacks } from '../../src/adapters/whatsapp/port.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap the simulator itself holds per connected, idle session (driver and simulated phone, after a full GC). */
export async function simulatorHeapPerSession(count: number): Promise<number> {
  const callbacks: DriverCallbacks = {
    onQrCode: () => {},
    onStatus: () => {},
    onMessage: () => {},
    onAck: () => {},
    onRevoked: () => {},
  };
  const simulator = createSimulatorDriver();
  gc();
  const before = process.memoryUsage().heapUsed;
  const sessions = [];
  for (let i = 0; i < count; i++) {
    const sessionId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    sessions.push(await simulator.start({ sessionId, callbacks }));
    await simulator.scan(sessionId);
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  await simulator.close();
  return Math.round((after - before) / count / 102.4) / 10;
}
