import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DistributedMapBatch, ScoredItem } from '../../src/batch/items.js';
import { TINY_ARTIFACT, tinyLoaded } from '../api/helpers.js';
import { setEnv } from '../support/s3-server.js';

/** The exact shapes a Distributed Map with an ItemBatcher sends its children (CSV with a header row; JSON Lines). */
const fixture = (name: string): DistributedMapBatch =>
  JSON.parse(readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), 'utf8'));

const context = {
  awsRequestId: '5f0a2d6e-0000-4000-8000-000000000001',
  functionName: 'sentiment-batch',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

describe('the batch Lambda (src/batch-lambda.ts), as a Distributed Map child', () => {
  let handler: (event: DistributedMapBatch, context: Context) => Promise<ScoredItem[]>;
  let restore: () => void;
  const output: string[] = [];
  const model = tinyLoaded().model;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batch-lambda-'));
    writeFileSync(join(dir, 'model.sntm'), TINY_ARTIFACT);
    restore = setEnv({
      MODEL_URI: join(dir, 'model.sntm'),
      POWERTOOLS_DEV: undefined,
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
    vi.resetModules();
    ({ handler } = await import('../../src/batch-lambda.js'));
  });
  afterAll(() => {
    vi.restoreAllMocks();
    restore();
  });

  it('scores CSV rows (header-row items, all strings): kept columns, the model’s answer, an error for an empty review', async () => {
    const event = fixture('distributed-map-csv');
    const rows = await handler(event, context);
    expect(rows).toHaveLength(event.Items.length);
    expect(rows.map((r) => [r.id, r.product])).toEqual([
      ['r1', 'dvd'],
      ['r2', 'dvd'],
      ['r3', 'blu-ray'],
      ['r4', 'blu-ray'],
    ]);
    for (const [i, row] of rows.entries()) {
      const text = (event.Items[i] as { review: string }).review;
      if (text === '') {
        expect(row).toMatchObject({ sentiment: null, confidence: null, error: '"review" is empty' });
        continue;
      }
      const expected = model.predict(text);
      expect(row.sentiment).toBe(expected.sentiment);
      expect(row.probabilityPositive).toBeCloseTo(expected.probabilityPositive, 12);
      expect(row.error).toBeNull();
      expect(Object.keys(row)).not.toContain('review');
      expect(Object.keys(row)).not.toContain('stars');
    }
  });

  it('scores JSON Lines items, detecting the text key, keeping "id" given as a string', async () => {
    const rows = await handler(fixture('distributed-map-jsonl'), context);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows[0].sentiment).toBe(model.predict('A great and moving film.').sentiment);
    expect(rows[1]).toMatchObject({ sentiment: null, error: '"text" is not a string' });
    expect(rows[2].sentiment).toBe('negative');
  });

  it('uses the text column BatchInput names, and reports a row without it', async () => {
    const rows = await handler(
      {
        Items: [{ body: 'great film', title: 'x' }, { title: 'no body' }],
        BatchInput: { textColumn: 'body', keep: ['title'] },
      },
      context,
    );
    expect(rows[0]).toMatchObject({ title: 'x', sentiment: 'positive', error: null });
    expect(rows[1]).toMatchObject({ title: 'no body', sentiment: null, error: '"body" is not a string' });
  });

  it('fails the batch (for Step Functions to retry or count) on an event that is not a batch', async () => {
    await expect(
      handler({ review: 'great' } as unknown as DistributedMapBatch, context),
    ).rejects.toMatchObject({
      code: 'batch_input_invalid',
    });
  });

  it('logs each batch and emits the same prediction metrics as the API', () => {
    const lines = output
      .flatMap((c) => c.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const batches = lines.filter((l) => l.message === 'batch');
    expect(batches[0]).toMatchObject({ items: 4, errors: 1, coldStart: true, service: 'sentiment-batch' });
    const predictions = lines
      .filter((l) => l._aws)
      .reduce((sum, l) => sum + ([l.Predictions ?? 0].flat() as number[]).reduce((a, b) => a + b, 0), 0);
    expect(predictions).toBe(3 + 2 + 1);
  });
});
