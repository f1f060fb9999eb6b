/**
 * What `coverage` and the abstention threshold (MIN_COVERAGE) do on real text: the distribution of
 * coverage on IMDb test reviews, rt-polarity snippets, French reviews and keyboard gibberish, the share
 * that abstains at several thresholds, and single-review prediction latency (p50 of 3 runs over 2,000
 * IMDb test reviews, each run's median).
 *
 * Run: IMDB_DIR=<folder> npx tsx bench/coverage.ts <model.sntm>, once per model: two models compared
 * should be measured back to back (the machine's speed drifts by over 50% over minutes), each in its
 * own process. Results are merged by model (its folder's name) into bench/results/coverage.json and
 * bench/results/coverage.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { decodeModel } from '../src/model/artifact.js';
import type { ModelOptions } from '../src/model/fit.js';
import { loadDomains } from './domains.js';
import { gitCommit } from './meta.js';

const FRENCH = [
  "Un film magnifique, les acteurs sont excellents et l'histoire est touchante.",
  "C'était ennuyeux du début à la fin, je me suis endormi.",
  'La mise en scène est superbe mais le scénario manque de profondeur.',
  "Quel navet ! Une perte de temps et d'argent.",
  "J'ai adoré la musique et la photographie, un vrai chef-d'œuvre.",
  'Les dialogues sont plats et les personnages sans intérêt.',
  'Une comédie drôle et légère, parfaite pour un dimanche soir.',
  'Je ne recommande pas ce film, il est beaucoup trop long.',
  "Le meilleur film que j'ai vu cette année, bravo au réalisateur.",
  'Une déception totale, rien ne fonctionne dans ce film.',
  "L'actrice principale porte le film sur ses épaules.",
  'Trop de violence gratuite, je suis sorti de la salle.',
  'Un scénario original et des rebondissements inattendus.',
  "C'est nul, vraiment nul, évitez-le à tout prix.",
  'Une belle histoire d’amour, émouvante et sincère.',
  'Les effets spéciaux sont ratés et le rythme est lent.',
  'Je suis ressorti du cinéma avec le sourire.',
  'Mauvais jeu des acteurs, intrigue prévisible.',
  'Un documentaire passionnant sur la vie des abeilles.',
  'Franchement décevant pour un film aussi attendu.',
];
const GIBBERISH = [
  'zzqx vvbn',
  'asdf jkl qwer',
  'xkcd plmq wvrt zzkp',
  'qqqq wwww eeee',
  'hjkl hjkl hjkl',
  'bnmv cxzl kjhg',
  'vvvv zzz xxx',
  'lorem ipsum dolor sit amet',
  'fjdksl aowpeir',
  'zxcvbnm qwertyuiop',
];

function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p10: q(0.1), p25: q(0.25), median: q(0.5), p75: q(0.75), p90: q(0.9) };
}

const thresholds = [0.1, 0.25, 0.4, 0.5];
const domains = await loadDomains();
const imdbTest = await domains.imdbTest();
const sets: Record<string, string[]> = {
  'IMDb test': imdbTest.texts,
  'rt-polarity (all)': [...domains.rtChoose.texts, ...domains.rtReport.texts],
  'French reviews (20)': FRENCH,
  'gibberish (10)': GIBBERISH,
};

const [file, ...rest] = process.argv.slice(2);
if (!file || rest.length > 0)
  throw new Error('usage: bench/coverage.ts <model.sntm> (one model per process)');

function describeSettings(o: ModelOptions | undefined): string {
  if (!o) return 'settings unknown';
  const parts = [
    `${o.naiveBayesAlpha === null ? 'LR' : 'NB-LR'} C = ${o.logisticRegression.C}`,
    `${o.tfidf.ngramRange.join('-')}-grams`,
  ];
  if (o.sentenceWeight) parts.push(`sentences weight ${o.sentenceWeight}`);
  if (o.naiveBayesBlend) parts.push(`blended with NB-LR (share ${o.naiveBayesBlend.share})`);
  if (o.sentencePrior) parts.push('sentence prior');
  return parts.join(', ');
}

const model = decodeModel(readFileSync(file), file);
const name = basename(dirname(file));
const rows = Object.entries(sets).map(([set, texts]) => {
  const coverage = texts.map((t) => model.predict(t).coverage);
  return {
    set,
    count: texts.length,
    coverage: quantiles(coverage),
    abstained: Object.fromEntries(
      thresholds.map((t) => [t, coverage.filter((c) => c < t).length / coverage.length]),
    ),
  };
});
const sample = imdbTest.texts.slice(0, 2000);
const runs: number[] = [];
for (let run = 0; run < 3; run++) {
  const times = sample.map((text) => {
    const started = process.hrtime.bigint();
    model.predict(text);
    return Number(process.hrtime.bigint() - started) / 1000;
  });
  runs.push(quantiles(times).median);
}
runs.sort((a, b) => a - b);
const result = {
  model: name,
  settings: describeSettings(model.metadata.options as ModelOptions | undefined),
  measured: new Date().toISOString(),
  commit: gitCommit(),
  node: process.version,
  rows,
  singleReviewMicros: { min: runs[0], median: runs[1], max: runs[2] },
};
console.log(
  `${name}: single review p50 ${runs[1].toFixed(1)} µs (runs ${runs.map((r) => r.toFixed(1)).join(', ')})`,
);
for (const r of rows)
  console.log(
    `  ${r.set}: coverage median ${r.coverage.median.toFixed(3)}, p10 ${r.coverage.p10.toFixed(3)}; abstains at 0.4: ${(r.abstained[0.4] * 100).toFixed(1)}%`,
  );

const resultsFile = new URL('./results/coverage.json', import.meta.url);
const previous: { results?: (typeof result)[] } = existsSync(resultsFile)
  ? JSON.parse(readFileSync(resultsFile, 'utf8'))
  : {};
const merged = new Map((previous.results ?? []).map((r) => [r.model, r]));
merged.set(name, result);
const all = [...merged.values()];
writeFileSync(resultsFile, `${JSON.stringify({ results: all }, null, 2)}\n`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const md = [
  'Each model measured in its own process; models compared were measured back to back.',
  '',
  ...all.flatMap((r) => [
    `**${r.model}** (${r.settings}; ${r.measured.slice(0, 16)}Z, commit ${r.commit.slice(0, 12)}, Node ${r.node}): single review p50 ${r.singleReviewMicros.median.toFixed(0)} µs (min ${r.singleReviewMicros.min.toFixed(0)}, max ${r.singleReviewMicros.max.toFixed(0)} over 3 runs of 2,000 IMDb test reviews).`,
    '',
    `| set | texts | coverage p10 / median / p90 | abstains at MIN_COVERAGE ${thresholds.join(' / ')} |`,
    '| --- | --- | --- | --- |',
    ...r.rows.map(
      (row) =>
        `| ${row.set} | ${row.count} | ${row.coverage.p10.toFixed(2)} / ${row.coverage.median.toFixed(2)} / ${row.coverage.p90.toFixed(2)} | ${thresholds.map((t) => pct(row.abstained[t])).join(' / ')} |`,
    ),
    '',
  ]),
];
writeFileSync(new URL('./results/coverage.md', import.meta.url), md.join('\n'));
