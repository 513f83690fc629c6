import { loadConfig } from '../src/config.js';
import { startGateway, type Gateway } from '../src/gateway.js';
import { signToken } from '../src/sign-token.js';
import type { Role } from '../src/api/auth/claims.js';
import { gatewayCaller } from './call-gateway.js';
import { jwtSecret } from './gateway-harness.js';
import { openGatewayServices, type GatewayServices } from './gateway-services.js';

/**
 * Two gateways in this test process on one PostgreSQL and one NATS, as two replicas (each its own lease owner,
 * simulator and control subjects): what one process runs, the other reaches over the bus.
 */
export async function startGatewayPair(label: string, env: Record<string, string> = {}) {
  const services: GatewayServices = await openGatewayServices(label, jwtSecret);
  const settings = loadConfig({ ...services.env, SIMULATOR_ACK_DELAYS_MS: '20,40,60', ...env });
  const a: Gateway = await startGateway(settings, { subjectRoot: services.subjectRoot });
  const b: Gateway = await startGateway(settings, { subjectRoot: services.subjectRoot });
  const token = (companyId: string, role: Role) =>
    signToken(jwtSecret, { companyId, role, sub: `${role.toLowerCase()}-of-${companyId}`, ttl: '1h' });
  return {
    a,
    b,
    services,
    token,
    caller: (companyId: string, role: Role = 'ADMIN') => gatewayCaller(token(companyId, role)),
    async dispose() {
      await b.stop();
      await a.stop();
      await services.dispose();
    },
  };
}
