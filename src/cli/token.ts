import { roles, type Role } from '../api/auth/claims.js';
import { loadConfig } from '../config.js';
import { loadOrCreateJwtSecret } from '../jwt-secret-file.js';
import { lifetimeMs } from '../lifetime.js';
import { signToken } from '../sign-token.js';
import { cliArgs, UsageError } from './cli-args.js';
import { runCli } from './run-cli.js';

const usage = 'npm run token -- --company <id> --role ADMIN|MANAGER|AGENT [--sub <user id>] [--ttl 1h]';

runCli(async () => {
  const args = cliArgs(
    {
      company: { type: 'string' },
      role: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
    },
    usage,
  );
  if (!args.company) throw new UsageError(`--company is required\nUsage: ${usage}`);
  if (!roles.includes(args.role as Role))
    throw new UsageError(`--role must be one of ${roles.join(', ')}\nUsage: ${usage}`);
  const config = loadConfig();
  if (config.JWT_PUBLIC_KEY)
    throw new UsageError('JWT_PUBLIC_KEY is set: tokens come from your identity provider, not from here');
  const ttl = args.ttl ?? '1h';
  if (lifetimeMs(ttl) > lifetimeMs(config.JWT_MAX_TTL))
    throw new UsageError(
      `--ttl ${ttl} is longer than JWT_MAX_TTL (${config.JWT_MAX_TTL}): the gateway would refuse it`,
    );
  const secret = config.JWT_SECRET ?? (await loadOrCreateJwtSecret(config.DATA_DIR)).secret;
  console.log(
    signToken(secret, {
      companyId: args.company,
      role: args.role as Role,
      sub: args.sub ?? 'cli',
      ttl,
    }),
  );
});
