import { ConfigError } from '../config.js';
import { UsageError } from './cli-args.js';

/** Runs a command-line entry point: a configuration problem exits 2 with its explanation, any other failure 1. */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof UsageError) {
        console.error(error.message);
        process.exit(2);
      }
      console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
      process.exit(1);
    },
  );
}
