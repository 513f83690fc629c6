import { StreamSubjectsTakenError } from './adapters/bus/nats-errors.js';
import { ConfigError, loadConfig } from './config.js';
import { startGateway } from './gateway.js';
import { signToken } from './sign-token.js';

const shutdownLimitMs = 30_000;

// What a setting fixes is said in one message, not buried in a stack trace.
const { config, gateway } = await (async () => {
  const loaded = loadConfig();
  return { config: loaded, gateway: await startGateway(loaded) };
})().catch((error: unknown) => {
  if (!(error instanceof ConfigError || error instanceof StreamSubjectsTakenError)) throw error;
  console.error(`zapledger cannot start: ${error.message}`);
  process.exit(1);
});

if (gateway.jwtSecretCreated && gateway.jwtSecret) {
  const token = signToken(gateway.jwtSecret, {
    companyId: 'default',
    role: 'ADMIN',
    sub: 'admin',
    ttl: '30d',
  });
  console.log(
    [
      '',
      'First start: a signing secret was generated and kept in the data folder.',
      'An ADMIN token for the company "default" (valid 30 days):',
      '',
      `  ${token}`,
      '',
      'More tokens: npm run token -- --company <id> --role ADMIN|MANAGER|AGENT [--sub <user>] [--ttl 1h]',
      '',
    ].join('\n'),
  );
}

// After the first-start token, so that whoever waits for this line has read the token already.
gateway.app.log.info(
  `zapledger listening on ${gateway.url} (driver: ${config.WA_DRIVER}, docs: ${gateway.url}/docs)`,
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    gateway.app.log.info(`${signal}: closing sessions and shutting down`);
    const limit = setTimeout(() => {
      gateway.app.log.error('Shutdown took too long; exiting');
      process.exit(1);
    }, shutdownLimitMs);
    limit.unref();
    gateway.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.app.log.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  });
}
