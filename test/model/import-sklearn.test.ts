import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { readConfig } from '../../src/api/config.js';
import { ModelProvider } from '../../src/api/model-provider.js';
import { Telemetry } from '../../src/api/telemetry.js';
import { readDataset } from '../../src/data/read.js';
import { decodeModel, encodeModel } from '../../src/model/artifact.js';
import { importSklearn } from '../../src/model/import-sklearn.js';
import { loadModel } from '../../src/store/load-model.js';
import { run } from '../cli/run.js';

interface PipelineCase {
  name: string;
  export: { vocabulary: string[]; positiveClass: string; source: { sha256: string } };
  heldOutFrom: number;
  heldOutTo: number;
  probabilities: number[];
}
const fixture: { sklearnVersion: string; pipelines: PipelineCase[] } = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn-pipelines.json', import.meta.url), 'utf8'),
);
const samplePath = new URL('../../data/imdb-sample.csv.gz', import.meta.url).pathname;

describe(`importing scikit-learn ${fixture.sklearnVersion} pipelines (tools/export-sklearn.py)`, () => {
  describe.each(fixture.pipelines)('$name', (testCase) => {
    it('predicts the same label and probability within 1e-9 as predict_proba, through the model file', async () => {
      const sample = await readDataset(samplePath);
      const model = decodeModel(encodeModel(importSklearn(testCase.export), { precision: 'float64' }));
      const texts = sample.texts.slice(testCase.heldOutFrom, testCase.heldOutTo);
      let worst = 0;
      texts.forEach((text, i) => {
        const p = model.predict(text).probabilityPositive;
        const q = testCase.probabilities[i];
        expect(p > 0.5).toBe(q > 0.5);
        worst = Math.max(worst, Math.abs(p - q));
      });
      expect(worst).toBeLessThan(1e-9);
    });

    it('records where it came from', () => {
      const model = importSklearn(testCase.export);
      expect(model.metadata.source).toMatchObject({
        kind: 'scikit-learn',
        sklearnVersion: fixture.sklearnVersion,
        sha256: testCase.export.source.sha256,
      });
    });
  });

  it('serves an imported model through the CLI and the HTTP app like a native one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-'));
    const json = join(dir, 'export.json');
    writeFileSync(json, JSON.stringify(fixture.pipelines[1].export));
    const modelFile = join(dir, 'model.sntm');
    expect((await run('import-sklearn', json, modelFile)).code).toBe(0);
    const predicted = await run('predict', '--model', modelFile, 'A superb, moving film.');
    expect(JSON.parse(predicted.stdout).sentiment).toBe('positive');
    const app = createApp({
      config: readConfig({ MODEL_URI: modelFile }),
      models: new ModelProvider(() => loadModel(modelFile)),
      telemetry: new Telemetry({ metrics: false, logLevel: 'SILENT' }),
    });
    const info = (await (await app.request('/model')).json()) as { preset: string; source: { kind: string } };
    expect(info.preset).toBe('imported-sklearn');
    expect(info.source.kind).toBe('scikit-learn');
  });

  it('calibrates an imported model with its weights kept exactly (float64, bit for bit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-calibrate-'));
    const json = join(dir, 'export.json');
    writeFileSync(json, JSON.stringify(fixture.pipelines[1].export));
    const imported = join(dir, 'model.sntm');
    expect((await run('import-sklearn', json, imported)).code).toBe(0);
    const calibrated = join(dir, 'calibrated.sntm');
    const result = await run('calibrate', '--model', imported, '--data', samplePath, '--out', calibrated);
    expect(result.code, result.stderr).toBe(0);
    const before = decodeModel(readFileSync(imported));
    const after = decodeModel(readFileSync(calibrated));
    expect(after.parameters.weights).toBeInstanceOf(Float64Array);
    expect(
      Buffer.from(
        after.parameters.weights.buffer,
        after.parameters.weights.byteOffset,
        after.parameters.weights.byteLength,
      ),
    ).toEqual(
      Buffer.from(
        before.parameters.weights.buffer,
        before.parameters.weights.byteOffset,
        before.parameters.weights.byteLength,
      ),
    );
    expect(after.parameters.intercept).toBe(before.parameters.intercept);
    expect(after.parameters.calibration?.method).toBe('platt');
  });

  it('refuses an export that does not hold together, by name', async () => {
    const broken = { ...fixture.pipelines[0].export, weights: [1, 2, 3] };
    expect(() => importSklearn(broken)).toThrow(/3 weights for \d+ terms/);
    expect(() => importSklearn({ kind: 'something else' })).toThrow(/not a scikit-learn export/);
    const good = fixture.pipelines[0].export as unknown as { analyzer: Record<string, unknown> };
    const withAnalyzer = (analyzer: unknown) => ({ ...good, analyzer });
    expect(() => importSklearn(withAnalyzer('word'))).toThrow(/analyzer: expected an object, got string/);
    expect(() => importSklearn(withAnalyzer({ ...good.analyzer, stripHtml: true }))).toThrow(
      /analyzer\.stripHtml: scikit-learn has no HTML stripping/,
    );
    expect(() => importSklearn(withAnalyzer({ ...good.analyzer, ngramRange: [2, 1, 3] }))).toThrow(
      /analyzer\.ngramRange: expected two whole numbers/,
    );
    // Absent, HTML stripping is off and the token pattern scikit-learn's default.
    const { stripHtml: _, tokenPattern: __, ...bare } = good.analyzer;
    expect(importSklearn(withAnalyzer(bare)).parameters.analyzer).toMatchObject({
      stripHtml: false,
      tokenPattern: 'default',
    });
    const dir = mkdtempSync(join(tmpdir(), 'import-bad-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(broken));
    const result = await run('import-sklearn', join(dir, 'bad.json'), join(dir, 'm.sntm'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/weights for/);
  });
});
