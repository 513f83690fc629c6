// A gateway in its own process, for tests that kill it: configuration from the environment, options as JSON in
// GATEWAY_OPTIONS; prints LISTENING <url> once it answers.
import { loadConfig } from '../src/config.js';
import { startGateway, type GatewayOptions } from '../src/gateway.js';

const options = JSON.parse(process.env.GATEWAY_OPTIONS ?? '{}') as GatewayOptions;
const gateway = await startGateway(loadConfig(), options);
process.stdout.write(`LISTENING ${gateway.url}\n`);
process.once('SIGTERM', () => {
  void gateway.stop().finally(() => process.exit(0));
});
