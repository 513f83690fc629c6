import { loadConfig } from '../config.js';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { openDatabase } from '../adapters/db/open-database.js';
import { parseDataKey } from '../adapters/privacy/data-key.js';
import { rotateDataKey } from '../adapters/privacy/rotate-data-key.js';
import { cliArgs, UsageError } from './cli-args.js';
import { runCli } from './run-cli.js';

const usage = `DATA_KEY=<current, if any> NEW_DATA_KEY=<new> npm run privacy -- rotate-data-key
DATA_KEY=<current> npm run privacy -- rotate-data-key --unwrap   (store the contact keys unwrapped)`;
const keyFormat = /^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/;

/** Crypto-shredding's master key: re-wrap every contact key under a new DATA_KEY (README, "Privacy"). */
runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'rotate-data-key')
    throw new UsageError(`unknown or missing command ${command ?? ''}\nUsage:\n${usage}`);
  const options = cliArgs({ unwrap: { type: 'boolean' } }, usage, rest);
  const config = loadConfig();
  const newKey = process.env.NEW_DATA_KEY;
  if (Boolean(options.unwrap) === Boolean(newKey))
    throw new UsageError(`set NEW_DATA_KEY, or pass --unwrap, not both\nUsage:\n${usage}`);
  if (newKey && !keyFormat.test(newKey))
    throw new UsageError('NEW_DATA_KEY must be 32 bytes: 64 hex digits or 44 base64 characters');
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const count = await rotateDataKey(
      database.db,
      config.DATA_KEY === undefined ? undefined : parseDataKey(config.DATA_KEY),
      newKey ? parseDataKey(newKey) : undefined,
    );
    process.stdout.write(
      `Re-wrapped ${count} contact keys ${newKey ? 'under NEW_DATA_KEY' : 'as unwrapped'}; restart every gateway with DATA_KEY=${newKey ? 'NEW_DATA_KEY' : '(unset)'}\n`,
    );
  } finally {
    await database.close();
  }
});
