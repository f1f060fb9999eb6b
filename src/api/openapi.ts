import { DEFAULT_MIN_COVERAGE } from '../model/prediction.js';
import type { ApiConfig } from './config.js';
import { ERROR_STATUS } from './errors.js';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** OpenAPI 3.1 description of every route, body and error. */
export function openApiDocument(config: ApiConfig) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Movie-review sentiment API',
      version: '1',
      description:
        'TF-IDF + logistic regression sentiment for movie reviews. Every error is {"error": {"code", "message"}}.',
    },
    paths: {
      '/predict': {
        post: {
          summary: 'Predict the sentiment of one review or a batch',
          parameters: [
            {
              name: 'explain',
              in: 'query',
              required: false,
              schema: { type: 'boolean' },
              description: 'Add the deciding n-grams',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    {
                      type: 'object',
                      required: ['review'],
                      properties: {
                        review: { type: 'string', minLength: 1, maxLength: config.maxReviewChars },
                        explain: { type: 'boolean' },
                        top: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
                      },
                    },
                    {
                      type: 'object',
                      required: ['reviews'],
                      properties: {
                        reviews: {
                          type: 'array',
                          minItems: 1,
                          maxItems: config.maxBatchSize,
                          items: { type: 'string', minLength: 1, maxLength: config.maxReviewChars },
                        },
                        explain: { type: 'boolean' },
                        top: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
                      },
                    },
                  ],
                },
                examples: {
                  single: { value: { review: 'A wonderful film with a superb cast.' } },
                  batch: { value: { reviews: ['Loved it.', 'Dull and far too long.'] } },
                },
              },
            },
          },
          responses: {
            '200': {
              description:
                'A prediction, or for a batch one entry per item in input order: predictions[i] is null when item i is in errors (an empty or over-long review, a non-string); 200 when at least one item was answered',
              content: {
                'application/json': {
                  schema: {
                    oneOf: [
                      { $ref: '#/components/schemas/Prediction' },
                      { $ref: '#/components/schemas/BatchAnswer' },
                    ],
                  },
                },
              },
            },
            '400': {
              description:
                'invalid_json, invalid_encoding, invalid_request, empty_review, invalid_batch, batch_too_large; or, for a batch where no item could be answered, the batch answer itself with every item in errors',
              content: {
                'application/json': {
                  schema: {
                    oneOf: [
                      { $ref: '#/components/schemas/Error' },
                      { $ref: '#/components/schemas/BatchAnswer' },
                    ],
                  },
                },
              },
            },
            '405': errorResponse('method_not_allowed'),
            '413': errorResponse(`payload_too_large (over ${config.maxBodyBytes} bytes), review_too_long`),
            '415': errorResponse('unsupported_media_type: the body must be application/json'),
            '503': errorResponse('model_unavailable: the model could not be loaded'),
          },
        },
      },
      '/health': {
        get: {
          summary:
            'Readiness: 200 when a model is loaded and predictions can be answered (a load is tried if none is)',
          responses: {
            '200': {
              description: 'Ready, with the model that answers',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['status', 'modelLoaded', 'modelVersion', 'model'],
                    properties: {
                      status: { const: 'ok' },
                      modelLoaded: { const: true },
                      modelVersion: { type: 'string' },
                      model: {
                        type: 'object',
                        properties: {
                          preset: { type: ['string', 'null'] },
                          trainingReviews: { type: ['integer', 'null'] },
                          testAccuracy: { type: ['number', 'null'] },
                          sample: {
                            type: 'boolean',
                            description:
                              'Trained on a small sample (under 20,000 reviews), not the full data',
                          },
                          summary: { type: 'string' },
                        },
                      },
                    },
                  },
                },
              },
            },
            '503': {
              description: 'No model loaded: predictions would answer 503 model_unavailable',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      status: { const: 'unavailable' },
                      modelLoaded: { const: false },
                      modelVersion: { type: 'null' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      '/docs': {
        get: {
          summary: 'These docs, interactive (self-contained HTML)',
          responses: { '200': { description: 'HTML', content: { 'text/html': {} } } },
        },
      },
      '/model': {
        get: {
          summary: 'The served model: version, preset, metrics, creation time, vocabulary size',
          responses: {
            '200': {
              description: 'Model description',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            '503': errorResponse('model_unavailable'),
          },
        },
      },
      '/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
      '/': {
        get: {
          summary: 'Playground page',
          responses: { '200': { description: 'HTML', content: { 'text/html': {} } } },
        },
      },
    },
    components: {
      schemas: {
        Prediction: {
          type: 'object',
          description:
            'One prediction. The same fields come from the API, the CLI and batch files. Model version and timing are per response, not per item.',
          required: ['sentiment', 'confidence', 'probabilityPositive', 'priorOnly', 'coverage', 'abstained'],
          properties: {
            sentiment: {
              enum: ['positive', 'negative', 'unknown'],
              description:
                '"unknown" only when the service runs with ABSTAIN=true and the prediction abstained; otherwise positive or negative',
            },
            confidence: {
              type: 'number',
              minimum: 0.5,
              maximum: 1,
              description:
                'Probability of the predicted class (calibrated when the model carries a calibration)',
            },
            probabilityPositive: { type: 'number', minimum: 0, maximum: 1 },
            priorOnly: {
              type: 'boolean',
              description: 'No known n-gram: the answer is the intercept prior alone',
            },
            coverage: {
              type: 'number',
              minimum: 0,
              maximum: 1,
              description: "Share of the text's n-grams (with repeats) that the model knows",
            },
            abstained: {
              type: 'boolean',
              description: `True when nothing is known or coverage is below MIN_COVERAGE (default ${DEFAULT_MIN_COVERAGE}): the model cannot tell`,
            },
            modelVersion: { type: 'string', description: 'On single-review answers only' },
            explanation: {
              type: 'object',
              description: 'Pushes on the log-odds of positive; pushes under 0.01 are left out',
              properties: {
                intercept: { type: 'number', description: 'The push before any n-gram is seen' },
                positive: { type: 'array', items: { $ref: '#/components/schemas/Contribution' } },
                negative: { type: 'array', items: { $ref: '#/components/schemas/Contribution' } },
              },
            },
          },
        },
        BatchAnswer: {
          type: 'object',
          required: ['predictions', 'errors', 'modelVersion'],
          properties: {
            predictions: {
              type: 'array',
              items: { oneOf: [{ $ref: '#/components/schemas/Prediction' }, { type: 'null' }] },
            },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['index', 'code', 'message'],
                properties: {
                  index: { type: 'integer', minimum: 0 },
                  code: { enum: ['empty_review', 'review_too_long', 'invalid_review'] },
                  message: { type: 'string' },
                },
              },
            },
            modelVersion: { type: 'string' },
          },
        },
        Contribution: {
          type: 'object',
          properties: { ngram: { type: 'string' }, contribution: { type: 'number' } },
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { enum: Object.keys(ERROR_STATUS) }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  };
}
