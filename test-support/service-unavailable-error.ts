export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';

  constructor(service: string, variable: string, localDefault: string) {
    super(
      `No ${service} for the tests: set ${variable}, or run one at ${localDefault}, ` +
        `or make a Docker engine available for testcontainers.`,
    );
  }
}
