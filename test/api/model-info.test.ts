import { describe, expect, it } from 'vitest';
import { describeModel } from '../../src/api/model-info.js';
import { SentimentModel } from '../../src/model/sentiment-model.js';
import { tinyModel } from '../model/helpers.js';

describe('describeModel', () => {
  const { parameters } = tinyModel();
  const withMetadata = (metadata: Record<string, unknown>) => new SentimentModel(parameters, metadata);

  it('calls a model trained on a few thousand reviews the sample, and says so', () => {
    const info = describeModel(
      withMetadata({
        preset: 'default',
        training: { train: { documents: 3000 } },
        metrics: { validation: { accuracy: 0.857 } },
      }),
    );
    expect(info).toMatchObject({ sample: true, trainingReviews: 3000, preset: 'default' });
    expect(info.summary).toBe(
      'preset default, trained on 3,000 reviews (a small sample), validation accuracy 85.70%',
    );
  });

  it('gives the test accuracy of a full model, and says when it is calibrated', () => {
    const info = describeModel(
      new SentimentModel(
        { ...parameters, calibration: { method: 'platt', slope: 1, intercept: 0 } },
        {
          preset: 'default',
          training: { train: { documents: 25000 } },
          metrics: { test: { accuracy: 0.9128 } },
        },
      ),
    );
    expect(info.sample).toBe(false);
    expect(info.summary).toBe('preset default, trained on 25,000 reviews, test accuracy 91.28%, calibrated');
  });

  it('names an imported model by its source', () => {
    expect(describeModel(withMetadata({ source: { kind: 'scikit-learn' } })).summary).toBe(
      'imported from scikit-learn',
    );
  });
});
