import { readFileSync } from 'node:fs';
import type { DifficultyRouter } from '../../difficulty/index.ts';

const SETTINGS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * An operator's own prompts, one per line: a JSON object with `prompt` (string) or `messages`
 * (OpenAI chat messages with string or text-part content), or else the line as plain text.
 */
export function readTraffic(file: string): Array<{ text: string; messages: number; hasSystem: boolean }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return { text: line, messages: 1, hasSystem: false };
      }
      if (typeof value === 'object' && value !== null && 'messages' in value && Array.isArray(value.messages)) {
        const messages = value.messages as Array<{ role?: string; content?: unknown }>;
        const asked = messages.filter((m) => m.role !== 'assistant' && m.role !== 'tool');
        const text = asked.map((m) => (typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((p: { text?: string }) => p.text ?? '').join('\n') : '')).join('\n');
        return { text, messages: messages.length, hasSystem: messages.some((m) => m.role === 'system' || m.role === 'developer') };
      }
      if (typeof value === 'object' && value !== null && 'prompt' in value && typeof value.prompt === 'string') return { text: value.prompt, messages: 1, hasSystem: false };
      return { text: line, messages: 1, hasSystem: false };
    });
}

/** For each `premiumShare` setting, the share of these prompts that would go premium; and the setting that sends each target share. */
export function trafficShares(router: DifficultyRouter, traffic: ReturnType<typeof readTraffic>): { setting: number; premium: number }[] {
  const scores = traffic.map((t) => router.scoreText(t.text, t.messages, t.hasSystem));
  return SETTINGS.map((setting) => {
    const threshold = router.thresholdFor({ premiumShare: setting });
    return { setting, premium: scores.filter((s) => s >= threshold).length / Math.max(scores.length, 1) };
  });
}

export function formatTrafficShares(rows: ReturnType<typeof trafficShares>, n: number): string {
  const lines = [`${n} prompts of your traffic:`, '', '| premiumShare setting | share of these prompts sent premium |', '|---|---|'];
  for (const row of rows) lines.push(`| ${row.setting} | ${(row.premium * 100).toFixed(1)}% |`);
  lines.push('', 'Pick the setting whose share is the premium share you want for this traffic (docs/router.md).');
  return `${lines.join('\n')}\n`;
}
