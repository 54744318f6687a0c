import type { Command } from 'commander';
import { formatPrivacyReport, MissingDataError, runPrivacyEval, type Split } from '../eval/privacy/index.ts';

const DEFAULT_DATA_DIR = '../shared/data';

/** `eval` is shared with `moat eval router`: whichever registers first creates it. */
function evalGroup(program: Command): Command {
  return program.commands.find((c) => c.name() === 'eval') ?? program.command('eval').description('Evaluate a component on public data sets.');
}

/** `moat eval privacy [--data <dir>] [--split test|tune] [--json]`: the privacy detectors (docs/privacy.md). */
export function registerEvalPrivacy(program: Command): void {
  evalGroup(program)
    .command('privacy')
    .description(
      'The privacy detectors: span precision/recall/F1 per type on presidio-synthetic-pii (test split of templates), secretlint fixtures, leakage after redaction, and false positives on benign prompt sets.',
    )
    .option('--data <dir>', 'the data folder (../shared/data layout)', DEFAULT_DATA_DIR)
    .option('--split <split>', 'presidio templates to score: `test` (odd template_id) or `tune` (even)', 'test')
    .option('--json', 'print JSON for machines')
    .action((options: { data: string; split: string; json?: boolean }, command: Command) => {
      if (options.split !== 'test' && options.split !== 'tune') command.error('error: --split must be `test` or `tune`', { exitCode: 2 });
      try {
        const result = runPrivacyEval(options.data, options.split as Split);
        const json = (_: string, v: unknown): unknown => (v instanceof Map ? Object.fromEntries(v) : v);
        command.configureOutput().writeOut!(options.json ? `${JSON.stringify(result, json, 2)}\n` : `${formatPrivacyReport(result)}\n`);
      } catch (error) {
        if (error instanceof MissingDataError) command.showHelpAfterError(false).error(`error: ${error.message}`, { exitCode: 2, code: 'moat.missing_data' });
        throw error;
      }
    });
}
