import type { SentimentModel } from '../model/sentiment-model.js';
import { domainTable } from './domains.js';
import { topNgrams } from './report.js';
import type { MetricsFile } from './train.js';

const pct = (x: number | undefined) => (x === undefined ? 'not measured' : `${(x * 100).toFixed(2)}%`);

/** A short model card (Mitchell et al. 2019), in Markdown. */
export function renderModelCard(metrics: MetricsFile, model: SentimentModel): string {
  const { tfidf, logisticRegression, naiveBayesAlpha } = metrics.options;
  const top = topNgrams(model, 8);
  return `# Model card: movie-review sentiment (${metrics.preset})

- **Version:** \`${metrics.modelVersion}\` (SHA-256 of the artifact's content), created ${metrics.createdAt}
- **Model:** TF-IDF (${tfidf.ngramRange.join('-')}-grams, ${metrics.sizes.vocabulary.toLocaleString('en-US')} terms) + L2 logistic regression (C = ${logisticRegression.C})${naiveBayesAlpha === null ? '' : ', features scaled by Naive-Bayes log-count ratios'}${metrics.options.sentenceWeight ? `, also fitted on each review's sentences (weight ${metrics.options.sentenceWeight})` : ''}
- **Output:** \`positive\` or \`negative\` with the probability of the predicted class, the share of
  the text's n-grams the model knows (\`coverage\`) and whether it abstained (\`abstained\`).
- **Calibration:** ${calibrationLine(model)}

## Intended use
Sentiment of English movie reviews, one review at a time or in batches. Out of scope: other domains
without re-evaluation, sarcasm, mixed or neutral opinions (the model knows only two classes), and any
decision about a person.

## Training data
${(metrics.data.sources ?? [{ ...metrics.data.train, weight: 1 }])
  .map(
    (s) =>
      `- ${s.source}: ${s.documents} reviews (${s.positive} positive)${s.weight === 1 ? '' : `, weight ${s.weight}`}${s.otherLabels ? `, ${s.otherLabels} rows with other labels left out` : ''}, fingerprint \`${s.fingerprint.slice(0, 16)}\``,
  )
  .join('\n')}
 ${metrics.data.validationSplit > 0 ? `${metrics.data.validationSplit * 100}% was held out for validation${metrics.search ? ' and the hyperparameter search' : ''}, then the model was refit on all of it.` : ''}

## Evaluation
| set | reviews | accuracy | F1 | ROC AUC | log loss |
| --- | --- | --- | --- | --- | --- |
${[['validation', metrics.validation] as const, ['test', metrics.test] as const]
  .filter(([, m]) => m !== undefined)
  .map(
    ([name, m]) =>
      `| ${name} | ${m!.count} | ${pct(m!.accuracy)} | ${m!.f1.toFixed(4)} | ${m!.rocAuc.toFixed(4)} | ${m!.logLoss.toFixed(4)} |`,
  )
  .join('\n')}

${
  metrics.domains?.length
    ? `## Other sets (\`--eval\`)
${domainTable(metrics.domains)}

`
    : ''
}## What drives it
Most positive n-grams: ${top.positive.map((t) => `\`${t.ngram}\``).join(', ')}.
Most negative n-grams: ${top.negative.map((t) => `\`${t.ngram}\``).join(', ')}.

## Limitations
A bag of n-grams: it misses negation beyond its n-gram window, word order, and context. Reviews of
films unlike those in IMDb, non-English text and very short texts get less reliable answers; a text
with no known n-gram gets the prior (flagged \`priorOnly\`).
`;
}

function calibrationLine(model: SentimentModel): string {
  const c = model.parameters.calibration;
  if (!c) return 'none: probabilities as trained (`sentiment calibrate` fits one to your own domain).';
  const info = model.metadata.calibration as { data?: { source?: string; documents?: number } } | undefined;
  return `Platt scaling (slope ${c.slope.toFixed(4)}, intercept ${c.intercept.toFixed(4)})${info?.data ? ` fitted on ${info.data.documents} labelled rows of ${info.data.source}` : ''}.`;
}
