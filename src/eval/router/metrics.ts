/** One evaluation prompt: the router's score and the quality each model reached on it. */
export interface ScoredItem {
  score: number;
  weak: number;
  strong: number;
}

export interface CurvePoint {
  /** Share of calls sent to the strong model. */
  share: number;
  quality: number;
}

export interface RouterMetrics {
  n: number;
  weakQuality: number;
  strongQuality: number;
  apgr: number;
  cpt50: number;
  cpt80: number;
  /** Lowest strong-call share whose quality reaches 95% of the strong model's; null when none does. */
  shareAt95: number | null;
}

/**
 * The quality of the mixed system as the threshold sweeps from "nothing strong" to "everything strong".
 * Equal scores move together; the segment between two distinct scores is linear, which is the expected
 * value of breaking the tie at random.
 */
export function qualityCurve(items: readonly ScoredItem[]): CurvePoint[] {
  const n = items.length;
  const sorted = [...items].sort((a, b) => b.score - a.score);
  let total = sorted.reduce((sum, item) => sum + item.weak, 0);
  const points: CurvePoint[] = [{ share: 0, quality: total / n }];
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && sorted[j]!.score === sorted[i]!.score) {
      total += sorted[j]!.strong - sorted[j]!.weak;
      j++;
    }
    points.push({ share: j / n, quality: total / n });
    i = j;
  }
  return points;
}

/** The first share (interpolated) at which `value(point)` reaches `target`; null when it never does. */
function firstReach(points: readonly CurvePoint[], value: (p: CurvePoint) => number, target: number): number | null {
  if (value(points[0]!) >= target) return points[0]!.share;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (value(b) >= target) return a.share + ((b.share - a.share) * (target - value(a))) / (value(b) - value(a));
  }
  return null;
}

/** RouteLLM's measures (Ong et al. 2024, §5): PGR = (q − q_weak) / (q_strong − q_weak), its area, CPT(50%), CPT(80%). */
export function routerMetrics(items: readonly ScoredItem[]): RouterMetrics {
  const points = qualityCurve(items);
  const weakQuality = points[0]!.quality;
  const strongQuality = items.reduce((sum, item) => sum + item.strong, 0) / items.length;
  const gap = strongQuality - weakQuality;
  const pgr = (p: CurvePoint) => (gap === 0 ? 1 : (p.quality - weakQuality) / gap);
  let apgr = 0;
  for (let i = 1; i < points.length; i++) apgr += ((points[i]!.share - points[i - 1]!.share) * (pgr(points[i]!) + pgr(points[i - 1]!))) / 2;
  return {
    n: items.length,
    weakQuality,
    strongQuality,
    apgr,
    cpt50: firstReach(points, pgr, 0.5) ?? 1,
    cpt80: firstReach(points, pgr, 0.8) ?? 1,
    shareAt95: firstReach(points, (p) => p.quality, 0.95 * strongQuality),
  };
}

/** The random router's expected figures: quality grows linearly with the strong share. */
export function randomMetrics(items: readonly ScoredItem[]): RouterMetrics {
  const weakQuality = items.reduce((sum, item) => sum + item.weak, 0) / items.length;
  const strongQuality = items.reduce((sum, item) => sum + item.strong, 0) / items.length;
  const gap = strongQuality - weakQuality;
  const at95 = gap <= 0 ? (weakQuality >= 0.95 * strongQuality ? 0 : null) : Math.max(0, (0.95 * strongQuality - weakQuality) / gap);
  return { n: items.length, weakQuality, strongQuality, apgr: 0.5, cpt50: 0.5, cpt80: 0.8, shareAt95: at95 };
}

/** The oracle knows each prompt's outcome: strong first where it gains most. */
export function oracleMetrics(items: readonly ScoredItem[]): RouterMetrics {
  return routerMetrics(items.map((item) => ({ ...item, score: item.strong - item.weak })));
}

/** Dollar saving against sending everything to the strong model, equal tokens per call assumed. */
export function dollarSaving(share: number, strongPrice: number, weakPrice: number): number {
  return 1 - (share * strongPrice + (1 - share) * weakPrice) / strongPrice;
}

/**
 * A 95% percentile-bootstrap interval of the APGR (items resampled with replacement, seeded), so a
 * figure from 144 MT-Bench turns is not read as precisely as one from 7,000 MMLU questions.
 */
export function apgrInterval(items: readonly ScoredItem[], rounds = 200, seed = 7): [number, number] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const values: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const sample = Array.from({ length: items.length }, () => items[Math.floor(random() * items.length)]!);
    values.push(routerMetrics(sample).apgr);
  }
  values.sort((x, y) => x - y);
  return [values[Math.floor(rounds * 0.025)]!, values[Math.ceil(rounds * 0.975) - 1]!];
}

/** Area under the ROC curve: the chance that a random positive scores above a random negative (ties count half). */
export function auroc(positives: readonly number[], negatives: readonly number[]): number {
  const all = [...positives.map((s) => ({ s, p: 1 })), ...negatives.map((s) => ({ s, p: 0 }))].sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k]!.p === 1) rankSum += rank;
    i = j;
  }
  const n1 = positives.length;
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * negatives.length);
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.v === order[i]!.v) j++;
    for (let k = i; k < j; k++) out[order[k]!.i] = (i + j - 1) / 2;
    i = j;
  }
  return out;
}

/** Spearman's rank correlation (Pearson's on average ranks, so ties are handled). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const mean = (rx.length - 1) / 2;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i]! - mean) * (ry[i]! - mean);
    sxx += (rx[i]! - mean) ** 2;
    syy += (ry[i]! - mean) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
