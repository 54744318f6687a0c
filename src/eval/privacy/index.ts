export { MissingDataError } from './data-files.ts';
export { formatPrivacyReport } from './format-report.ts';
export { splitOf, type Split } from './presidio.ts';
export { benignRate, presidioScores, runPrivacyEval, secretScores, type PrivacyEvalResult } from './run-eval.ts';
