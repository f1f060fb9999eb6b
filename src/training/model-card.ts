import type { SentimentModel } from '../model/sentiment-model.js';
import { topNgrams } from './report.js';
import type { MetricsFile } from './train.js';

const pct = (x: number | undefined) => (x === undefined ? 'not measured' : `${(x * 100).toFixed(2)}%`);

/** A short model card (Mitchell et al. 2019), in Markdown. */
export function renderModelCard(metrics: MetricsFile, model: SentimentModel): string {
  const { tfidf, logisticRegression, naiveBayesAlpha } = metrics.options;
  const top = topNgrams(model, 8);
  return `# Model card: movie-review sentiment (${metrics.preset})

- **Version:** \`${metrics.modelVersion}\` (SHA-256 of the artifact's content), created ${metrics.createdAt}
- **Model:** TF-IDF (${tfidf.ngramRange.join('-')}-grams, ${metrics.sizes.vocabulary.toLocaleString('en-US')} terms) + L2 logistic regression (C = ${logisticRegression.C})${naiveBayesAlpha === null ? '' : ', features scaled by Naive-Bayes log-count ratios'}
- **Output:** \`positive\` or \`negative\` with the probability of the predicted class.

## Intended use
Sentiment of English movie reviews, one review at a time or in batches. Out of scope: other domains
without re-evaluation, sarcasm, mixed or neutral opinions (the model knows only two classes), and any
decision about a person.

## Training data
${metrics.data.train.source}: ${metrics.data.train.documents} reviews (${metrics.data.train.positive} positive),
fingerprint \`${metrics.data.train.fingerprint.slice(0, 16)}\`. ${metrics.data.validationSplit > 0 ? `${metrics.data.validationSplit * 100}% was held out for validation${metrics.search ? ' and the hyperparameter search' : ''}, then the model was refit on all of it.` : ''}

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

## What drives it
Most positive n-grams: ${top.positive.map((t) => `\`${t.ngram}\``).join(', ')}.
Most negative n-grams: ${top.negative.map((t) => `\`${t.ngram}\``).join(', ')}.

## Limitations
A bag of n-grams: it misses negation beyond its n-gram window, word order, and context. Reviews of
films unlike those in IMDb, non-English text and very short texts get less reliable answers; a text
with no known n-gram gets the prior (flagged \`priorOnly\`).
`;
}
