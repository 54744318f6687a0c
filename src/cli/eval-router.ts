import type { Command } from 'commander';
import { loadDifficultyRouter } from '../difficulty/index.ts';
import { DEFAULT_DATA_DIR, evaluateRouter, formatReport, formatTrafficShares, MissingDataError, readTraffic, trafficShares } from '../eval/router/index.ts';

/** The `eval` command group; `moat eval privacy` and others register on the same group. */
export function evalCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'eval') ?? program.command('eval').description('Evaluate a learned component on public data sets (docs/router.md, docs/privacy.md).');
}

/** `moat eval router [--data <dir>] [--model <file>] [--json]`: RouteLLM's metrics for the difficulty router. */
export function registerEvalRouter(program: Command): void {
  evalCommand(program)
    .command('router')
    .description("The difficulty router on RouteLLM's GSM8K, MMLU and MT-Bench outcomes and a held-out MMLU-Pro split: APGR, CPT(50%), CPT(80%), premium share and saving at 95% quality, against random and oracle.")
    .option('--data <dir>', 'the routing data folder (docs/router.md)', DEFAULT_DATA_DIR)
    .option('--model <file>', 'a difficulty artifact (default: the shipped src/difficulty/model.json)')
    .option('--traffic <file>', 'instead: how much of your own prompts (JSONL: `prompt` or `messages`, or plain lines) each premiumShare setting sends premium')
    .option('--json', 'print JSON for machines')
    .action((options: { data: string; model?: string; traffic?: string; json?: boolean }, command: Command) => {
      if (options.traffic !== undefined) {
        const traffic = readTraffic(options.traffic);
        const rows = trafficShares(loadDifficultyRouter(options.model), traffic);
        command.configureOutput().writeOut!(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatTrafficShares(rows, traffic.length));
        return;
      }
      try {
        const report = evaluateRouter(loadDifficultyRouter(options.model), options.data);
        command.configureOutput().writeOut!(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      } catch (error) {
        if (error instanceof MissingDataError) command.showHelpAfterError(false).error(`error: ${error.message}`, { exitCode: 2, code: 'moat.missing_data' });
        throw error;
      }
    });
}
