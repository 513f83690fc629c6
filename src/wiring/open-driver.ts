import type { Database } from '../adapters/db/database.js';
import type { WhatsAppDriver } from '../adapters/whatsapp/port.js';
import {
  createPostgresSentLog,
  createPostgresSimulatedFiles,
  openPostgresLoginStore,
} from '../adapters/whatsapp/simulator/postgres-simulator-world.js';
import {
  createSimulatorDriver,
  type SimulatorDriver,
} from '../adapters/whatsapp/simulator/simulator-driver.js';
import type { SimulatorSettings } from '../adapters/whatsapp/simulator/simulator-settings.js';
import { createPostgresLoginBackups } from '../adapters/whatsapp/wppconnect/login-backups.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * The WhatsApp driver the configuration names: the simulator (one simulated WhatsApp for the whole cluster, its
 * logins, its log of sends and its files in the database) or WPPConnect, whose logins are backed up to the database.
 * WPPConnect and Puppeteer (about 50 MB of memory) are loaded only when they drive the sessions.
 */
export async function openDriver(
  config: Config,
  database: Database,
  logger: Logger,
  simulatorSettings: Partial<SimulatorSettings> = {},
): Promise<{ driver: WhatsAppDriver; simulator: SimulatorDriver | undefined }> {
  if (config.WA_DRIVER === 'simulator') {
    const [server, device, read] = config.SIMULATOR_ACK_DELAYS_MS.split(',').map(Number) as [
      number,
      number,
      number,
    ];
    const simulator = createSimulatorDriver({
      settings: {
        qrIntervalMs: config.SIMULATOR_QR_INTERVAL_MS,
        ackDelaysMs: [server, device, read],
        ...simulatorSettings,
      },
      logins: await openPostgresLoginStore(database.db),
      sentLog: createPostgresSentLog(database.db),
      files: createPostgresSimulatedFiles(database.db),
      logger,
    });
    return { driver: simulator, simulator };
  }
  const { createWppconnectDriver } = await import('../adapters/whatsapp/wppconnect/wppconnect-driver.js');
  const driver = createWppconnectDriver({
    dataDir: config.DATA_DIR,
    ...(config.CHROMIUM_PATH ? { chromiumPath: config.CHROMIUM_PATH } : {}),
    ...(config.WA_WEB_VERSION ? { whatsappWebVersion: config.WA_WEB_VERSION } : {}),
    backups: createPostgresLoginBackups(database.db),
    logger,
  });
  return { driver, simulator: undefined };
}
