import * as z from 'zod';
import type { ApiConfig } from './config.js';
import { ERROR_STATUS, type ErrorCode } from './errors.js';
import { apiSchemas } from './schema.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const html = { 'text/html': { schema: { type: 'string' } } };

/** The codes a response status can carry, from the one error table. */
const codesOf = (status: number) =>
  (Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>)
    .filter(([, s]) => s === status)
    .map(([c]) => c);
const errorResponse = (status: number, detail = '') => ({
  description: `${codesOf(status).join(', ')}${detail}`,
  content: json(ref('Error')),
});
const internal = { '500': errorResponse(500, ': a bug; the log has the details') };
/** Read-only routes answer other methods with 405 and an Allow header. */
const readOnly = { '405': errorResponse(405, ': this route answers GET and HEAD only'), ...internal };
const documents = new WeakMap<object, object>();

/**
 * OpenAPI 3.1 description of every route, its bodies and errors, made from the same zod schemas that
 * validate requests (`src/api/schema.ts`): the document cannot drift from what the service checks.
 */
export function openApiDocument(config: ApiConfig) {
  const cached = documents.get(config);
  if (cached) return cached;
  const schemas = apiSchemas(config);
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas;
  const components = Object.fromEntries(
    Object.entries(generated).map(([id, { $schema, $id, ...schema }]) => [id, schema]),
  );
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Movie-review sentiment API',
      version: '1',
      description:
        'TF-IDF + logistic regression sentiment for movie reviews. Every error is {"error": {"code", "message"}}. No authentication: put the API behind your own (API Gateway usage plans, IAM or a custom authorizer) before exposing it.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'The server that serves this document' }],
    // Open by design; the deployment decides who may call it.
    security: [],
    paths: {
      '/predict': {
        post: {
          operationId: 'predict',
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
                schema: { oneOf: [ref('SingleRequest'), ref('BatchRequest')] },
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
              content: json({ oneOf: [ref('Prediction'), ref('BatchAnswer')] }),
            },
            '400': {
              description: `${codesOf(400).join(', ')}; or, for a batch where no item could be answered, the batch answer itself with every item in errors`,
              content: json({ oneOf: [ref('Error'), ref('BatchAnswer')] }),
            },
            '413': errorResponse(
              413,
              `: the body is over ${config.maxBodyBytes} bytes, a review over ${config.maxReviewChars} characters, or the reviews over ${config.maxRequestChars} characters in all`,
            ),
            '415': errorResponse(415, ': the body must be application/json, not compressed'),
            '503': errorResponse(503, ': the model could not be loaded; retry'),
            ...internal,
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary:
            'Readiness: 200 when a model is loaded and predictions can be answered (a load is tried if none is)',
          responses: {
            '200': { description: 'Ready, with the model that answers', content: json(ref('Health')) },
            '503': {
              description: 'No model loaded: predictions would answer 503 model_unavailable',
              content: json(ref('Unavailable')),
            },
            ...readOnly,
          },
        },
      },
      '/model': {
        get: {
          operationId: 'describeModel',
          summary: 'The served model: version, preset, metrics, creation time, vocabulary size',
          responses: {
            '200': { description: 'Model description', content: json(ref('ModelDescription')) },
            '503': errorResponse(503, ': the model could not be loaded; retry'),
            ...readOnly,
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: {
            '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) },
            ...readOnly,
          },
        },
      },
      '/docs': {
        get: {
          operationId: 'docs',
          summary: 'These docs, interactive (self-contained HTML)',
          responses: { '200': { description: 'HTML', content: html }, ...readOnly },
        },
      },
      '/': {
        get: {
          operationId: 'playground',
          summary: 'Playground page',
          responses: { '200': { description: 'HTML', content: html }, ...readOnly },
        },
      },
    },
    components: { schemas: components },
  };
  documents.set(config, document);
  return document;
}
