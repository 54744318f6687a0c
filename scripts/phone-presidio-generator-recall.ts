/**
 * Recall of the phone detector on a fourth synthetic sample: the written shapes of presidio-research's
 * own phone provider (`PhoneNumberProviderNew` in presidio_evaluator/data_generator/faker_extensions/
 * providers.py, MIT), which made part of the Presidio data beside Faker's locales. The shapes below are
 * restated here as facts about that generator (`#` a random digit 0–9, as its `numerify` fills them);
 * each is filled `--per-shape` times (seeded) and set in the sentences of phone-formats.ts, half with a
 * cue word. Dev-only:
 *
 *   node scripts/phone-presidio-generator-recall.ts [--per-shape 300] [--seed 2026] [--shapes] [--misses] [--all-types]
 */
import { random } from '../src/eval/privacy/phone-formats.ts';
import { arg, SampleRecall } from './phone-sample-recall.ts';

/** Shape → the country the generator files it under (its groups US, UK, India, Switzerland, Sweden). */
const SHAPES: ReadonlyArray<[country: string, shape: string]> = [
  ['US', '##########'], ['US', '###-###-####'], ['US', '###-#######'], ['US', '(###)###-####'], ['US', '###.###.####'],
  ['US', '###-###-####x###'], ['US', '###-###-####x####'], ['US', '(###)###-####x###'], ['US', '(###)###-####x####'],
  ['US', '###.###.####x###'], ['US', '###.###.####x####'], ['US', '+1-###-###-####'], ['US', '001-###-###-####'], ['US', '+1-###-###-####x###'],
  ['UK', '07700 ### ###'], ['UK', '07700 ######'], ['UK', '07700######'], ['UK', '(07700) ### ###'], ['UK', '(07700) ######'],
  ['UK', '(07700)######'], ['UK', '+447700 ### ###'], ['UK', '+447700 ######'], ['UK', '+447700######'],
  ['IN', '+91##########'], ['IN', '0##########'],
  ...[2, 3, 4, 5, 6, 7, 8, 9].flatMap((d): Array<[string, string]> => [['CH', `+41 ${d}# ### ## ##`], ['CH', `+41 (0)${d}# ### ## ##`]]),
  ['SE', '+46 (0)8 ### ### ##'], ['SE', '+46 (0)## ## ## ##'], ['SE', '+46 (0)### ### ##'],
];

const perShape = Number(arg('--per-shape', '300'));
const next = random(Number(arg('--seed', '2026')));
const nextDigit = (): string => String(Math.floor(next() * 10));

const recall = new SampleRecall(process.argv.includes('--all-types'));
const misses: string[] = [];
for (const [country, shape] of SHAPES) {
  for (let i = 0; i < perShape; i++) {
    const value = shape.replace(/#/g, nextDigit);
    const { text, hit } = recall.place(country, shape, value);
    if (!hit) misses.push(`${country}\t${shape}\t${JSON.stringify(text)}`);
  }
}
console.log(`presidio-research phone provider shapes, ${perShape} numbers each`);
recall.print(process.argv.includes('--shapes'));
if (process.argv.includes('--misses')) for (const m of misses) console.log(m);
