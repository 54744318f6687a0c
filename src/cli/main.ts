import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/index.ts';
import { registerCredentialCommands } from '../credentials/index.ts';
import { registerKeyCommands } from '../keys/index.ts';
import { registerEvalPrivacy } from './eval-privacy.ts';
import { registerEvalRouter } from './eval-router.ts';
import { serve } from '../server/index.ts';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a whole number from 0 to 65535.');
  return port;
}

export function buildCli(): Command {
  const program = new Command('moat')
    .description('Moat: a self-hosted gateway for LLM and reasoning-model APIs.')
    .showHelpAfterError();

  program
    .command('serve')
    .description('Run the gateway (embedded defaults when no --config is given).')
    .option('-c, --config <file>', 'YAML config file (docs/config.md); reloaded when it changes')
    .option('-p, --port <n>', 'port to listen on (default 4100, or server.port)', parsePort)
    .option('--host <address>', 'address to bind (default 127.0.0.1, or server.host)')
    .action(async (options: { config?: string; port?: number; host?: string }) => {
      try {
        await serve({ configPath: options.config, port: options.port, host: options.host, handleSignals: true });
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`${error.message}\nSee docs/config.md for every setting.\n`);
          process.exit(2);
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' || code === 'EACCES') {
          process.stderr.write(`Cannot listen: ${(error as Error).message}. Choose another port with --port.\n`);
          process.exit(2);
        }
        throw error;
      }
    });
  registerKeyCommands(program);
  registerCredentialCommands(program);
  registerEvalRouter(program);
  registerEvalPrivacy(program);
  return program;
}

if (import.meta.main) {
  await buildCli().parseAsync(process.argv);
}
