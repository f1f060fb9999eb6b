import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitSentimentModel } from '../../src/model/fit.js';
import { PRESETS } from '../../src/training/presets.js';
import { C_GRID, searchHyperparameters } from '../../src/training/search.js';
import { permutation, stratifiedSplit } from '../../src/training/split.js';
import { run } from '../cli/run.js';

describe('stratifiedSplit', () => {
  // 300 negatives and 100 positives, interleaved.
  const labels = Uint8Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 1 : 0));

  it('holds out the fraction of each class, disjoint from training, covering every row', () => {
    const { train, validation } = stratifiedSplit(labels, 0.2, 42);
    expect(validation.length).toBe(80);
    expect(Array.from(validation).filter((i) => labels[i] === 1).length).toBe(20);
    expect(Array.from(train).filter((i) => labels[i] === 1).length).toBe(80);
    const all = [...train, ...validation].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });

  it('is the same for the same seed and different for another', () => {
    const a = stratifiedSplit(labels, 0.1, 1);
    expect(stratifiedSplit(labels, 0.1, 1)).toEqual(a);
    expect(Array.from(stratifiedSplit(labels, 0.1, 2).validation)).not.toEqual(Array.from(a.validation));
    expect(Array.from(permutation(10, 3)).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses a fraction outside (0, 1)', () => {
    for (const bad of [0, 1, -0.5, Number.NaN])
      expect(() => stratifiedSplit(labels, bad, 1)).toThrow(RangeError);
  });
});

describe('searchHyperparameters', () => {
  // The label is an XOR of two words: each word alone says nothing (unigrams stay near chance), the
  // pair decides (bigrams separate the classes).
  const fillers = ['film', 'plot', 'cast', 'script', 'ending', 'score', 'pace', 'dialogue'];
  const make = (n: number, offset: number) => {
    const texts: string[] = [];
    const labels: number[] = [];
    for (let i = 0; i < n; i++) {
      const first = (i + offset) % 2 === 0 ? 'alpha' : 'beta';
      const second = Math.floor((i + offset) / 2) % 2 === 0 ? 'gamma' : 'delta';
      const filler = fillers[Math.floor(i / 4 + offset) % fillers.length];
      texts.push(`${filler} ${first} ${second}`);
      labels.push((first === 'alpha') !== (second === 'gamma') ? 1 : 0);
    }
    return { texts, labels: Uint8Array.from(labels) };
  };
  const train = make(240, 0);
  const validation = make(60, 3);
  const base = {
    ...PRESETS.seed,
    tfidf: { ...PRESETS.seed.tfidf, ngramRange: [1, 1] as [number, number], minDf: 1 },
  };
  const { best, trials } = searchHyperparameters(train, validation, base, () => {});

  it('tries every n-gram range up to bigrams with every C of the grid', () => {
    expect(trials.map((t) => `${t.ngramRange.join('-')}:${t.C}`)).toEqual(
      ['1-1', '1-2'].flatMap((r) => C_GRID.map((C) => `${r}:${C}`)),
    );
  });

  it("reports each trial's true validation accuracy, and picks the best", () => {
    for (const trial of trials.filter((_, i) => i % 4 === 0)) {
      const options = {
        ...base,
        tfidf: { ...base.tfidf, ngramRange: trial.ngramRange },
        logisticRegression: { ...base.logisticRegression, C: trial.C },
      };
      const model = fitSentimentModel(train.texts, train.labels, options).model;
      const correct = validation.texts.filter(
        (t, i) => (model.predict(t).sentiment === 'positive' ? 1 : 0) === validation.labels[i],
      ).length;
      expect(trial.validationAccuracy).toBeCloseTo(correct / validation.texts.length, 12);
    }
    const top = Math.max(...trials.map((t) => t.validationAccuracy));
    expect(best.tfidf.ngramRange).toEqual([1, 2]);
    expect(
      trials.find((t) => t.ngramRange[1] === 2 && t.C === best.logisticRegression.C)?.validationAccuracy,
    ).toBe(top);
    expect(
      Math.max(...trials.filter((t) => t.ngramRange[1] === 1).map((t) => t.validationAccuracy)),
    ).toBeLessThan(top);
  });

  it('is what `train --search` runs, recording the trials and the choice in metrics.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'search-'));
    const all = make(300, 0);
    const csv = join(dir, 'neg.csv');
    writeFileSync(csv, `text,label\n${all.texts.map((t, i) => `${t},${all.labels[i]}`).join('\n')}\n`);
    const result = await run(
      'train',
      '--data',
      csv,
      '--out',
      join(dir, 'm'),
      '--preset',
      'seed',
      '--search',
      '--min-df',
      '1',
    );
    expect(result.code, result.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(join(dir, 'm', 'metrics.json'), 'utf8'));
    expect(metrics.search).toHaveLength(2 * C_GRID.length);
    const chosen = metrics.search.reduce(
      (a: { validationAccuracy: number }, b: { validationAccuracy: number }) =>
        b.validationAccuracy > a.validationAccuracy ? b : a,
    );
    expect(result.stdout + result.stderr).toContain(
      `search: chose n-grams ${chosen.ngramRange.join('-')}, C ${chosen.C}`,
    );
  });
});
