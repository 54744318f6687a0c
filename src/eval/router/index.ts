export { DEFAULT_DATA_DIR, MissingDataError, resolveDataDir } from './data-dir.ts';
export { evaluateRouter, STRONG_PRICE, WEAK_PRICE } from './run-eval.ts';
export type { RouterEvalReport, SetReport } from './run-eval.ts';
export { formatReport } from './format-report.ts';
export { oracleMetrics, randomMetrics, routerMetrics, qualityCurve, dollarSaving } from './metrics.ts';
export type { RouterMetrics, ScoredItem } from './metrics.ts';
export { OverlapIndex, normalizeText } from './dedup.ts';
export { evaluationOverlapIndex, mmluProSplit, trainingData } from './training-data.ts';
export { formatTrafficShares, readTraffic, trafficShares } from './traffic-shares.ts';
