import { readJsonl } from './data-dir.ts';
import type { OverlapIndex } from './dedup.ts';

/**
 * Prompts labelled by where they come from, as `../shared/data/README.md` describes them: Arena-Hard
 * (Apache-2.0) is "a realistic hard-prompt pool" curated from Chatbot Arena for separating strong from
 * weak models; BANKING77 (CC-BY-4.0) is "a pool of easy prompts that a router should keep on the local
 * model", and the Self-Instruct seeds and user-oriented instructions (Apache-2.0) are everyday tasks.
 * They teach the router what chat traffic looks like, which MMLU-Pro's exam questions cannot.
 */
export interface PoolPrompt {
  text: string;
  kind: 'hard' | 'routine';
  source: string;
  /** Held out for model selection and the `premiumShare` reference pool. */
  validation: boolean;
}

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** 1 in 5 held out, by a hash of a stable id (Arena-Hard v0.1 by topic cluster: its two prompts per cluster are alike). */
const heldOut = (id: string) => fnv(id) % 5 === 0;

interface SelfInstructRow {
  id: string;
  instruction: string;
  instances: Array<{ input: string }>;
}

export function routineHardPools(root: string, overlaps: OverlapIndex): PoolPrompt[] {
  const out: PoolPrompt[] = [];
  for (const r of readJsonl<{ uid: string; cluster: string; prompt: string }>(root, 'arena-prompts-and-scores/arena-hard-v0.1_questions.jsonl')) {
    out.push({ text: r.prompt, kind: 'hard', source: 'arena-hard-v0.1', validation: heldOut(r.cluster) });
  }
  for (const r of readJsonl<{ uid: string; prompt: string }>(root, 'arena-prompts-and-scores/arena-hard-v2.0_questions.jsonl')) {
    out.push({ text: r.prompt, kind: 'hard', source: 'arena-hard-v2.0', validation: heldOut(r.uid) });
  }
  // Every 10th query: BANKING77 repeats a few intents thousands of times.
  readJsonl<{ text: string }>(root, 'banking77/train.jsonl').forEach((r, i) => {
    if (i % 10 === 0) out.push({ text: r.text, kind: 'routine', source: 'banking77', validation: false });
  });
  readJsonl<{ text: string }>(root, 'banking77/test.jsonl').forEach((r, i) => {
    if (i % 10 === 0) out.push({ text: r.text, kind: 'routine', source: 'banking77', validation: true });
  });
  for (const file of ['self-instruct/seed_tasks.jsonl', 'self-instruct/user_oriented_instructions.jsonl']) {
    for (const r of readJsonl<SelfInstructRow>(root, file)) {
      const input = r.instances[0]?.input ?? '';
      out.push({ text: input ? `${r.instruction}\n${input}` : r.instruction, kind: 'routine', source: 'self-instruct', validation: heldOut(r.id) });
    }
  }
  return out.filter((p) => !overlaps.overlaps(p.text));
}
