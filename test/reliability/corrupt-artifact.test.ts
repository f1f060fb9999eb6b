import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../src/data/read.js';
import { decodeModel, encodeModel } from '../../src/model/artifact.js';
import { ModelLoadError } from '../../src/model/errors.js';
import { fitSentimentModel } from '../../src/model/fit.js';
import { SentimentModel } from '../../src/model/sentiment-model.js';
import { hashBytes, MAX_MEAN_PROBES, MAX_PROBE, TermTable } from '../../src/text/term-table.js';
import { PRESETS } from '../../src/training/presets.js';
import { seededRandom } from '../../src/training/split.js';
import { tinyModel } from '../model/helpers.js';

function reason(bytes: Uint8Array): string {
  try {
    decodeModel(bytes, 'model.sntm');
    return 'accepted';
  } catch (error) {
    if (error instanceof ModelLoadError) return error.reason;
    throw error;
  }
}

/** Rewrites the file's trailing SHA-256 over its current content. */
function resign(bytes: Uint8Array): Uint8Array {
  bytes.set(
    createHash('sha256')
      .update(bytes.subarray(0, bytes.length - 32))
      .digest(),
    bytes.length - 32,
  );
  return bytes;
}

/** Rewrites the header JSON and re-signs the file, as an attacker who knows the format could. */
interface ForgedHeader {
  kind: string;
  calibration?: unknown;
  analyzer: { ngramRange: number[] };
  sections: Record<'terms' | 'termLengths' | 'weights', { offset: number; length: number }>;
}

function forge(bytes: Uint8Array, edit: (header: ForgedHeader) => void): Uint8Array {
  return forgeText(bytes, (text) => {
    const header = JSON.parse(text);
    edit(header);
    return JSON.stringify(header);
  });
}

/** Rewrites the header's JSON text itself (for headers JSON.stringify could not even produce). */
function forgeText(bytes: Uint8Array, edit: (text: string) => string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const encoded = new TextEncoder().encode(
    edit(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))),
  );
  const dataStart = (16 + headerLength + 7) & ~7;
  const newDataStart = (16 + encoded.length + 7) & ~7;
  const data = bytes.subarray(dataStart, bytes.length - 32);
  const out = new Uint8Array(newDataStart + data.length + 32);
  out.set(bytes.subarray(0, 16));
  new DataView(out.buffer).setUint32(12, encoded.length, true);
  out.set(encoded, 16);
  out.set(data, newDataStart);
  return resign(out);
}

describe('corrupt artifacts', () => {
  const small = encodeModel(tinyModel());

  const asVersion = (bytes: Uint8Array, version: number) => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(8, version, true);
    return resign(copy);
  };

  // A file the format-2 encoder wrote (the commit before the front-coded vocabulary), with the
  // answers its model gave: old files load and answer the same.
  const v2 = new Uint8Array(readFileSync(new URL('../fixtures/model-v2.sntm', import.meta.url)));
  const v2Answers: Array<{ text: string; probabilityPositive: number }> = JSON.parse(
    readFileSync(new URL('../fixtures/model-v2.predictions.json', import.meta.url), 'utf8'),
  );

  it('reads format version 2 files, and version 1 (before calibration), refusing a calibration claimed in one', () => {
    expect(new DataView(v2.buffer).getUint32(8, true)).toBe(2);
    for (const answer of v2Answers)
      expect(decodeModel(v2).predict(answer.text).probabilityPositive).toBeCloseTo(
        answer.probabilityPositive,
        6,
      );
    const v1 = asVersion(
      forge(v2.slice(), (h) => {
        delete h.calibration;
      }),
      1,
    );
    expect(decodeModel(v1).predict('great film')).toEqual(decodeModel(v2).predict('great film'));
    const lying = asVersion(
      forge(v2.slice(), (h) => {
        h.calibration = { method: 'platt', slope: 1, intercept: 0 };
      }),
      1,
    );
    expect(reason(lying)).toBe('bad-header');
    // A version 2 file cannot carry version 3's sections.
    const mixed = asVersion(small.slice(), 2);
    expect(reason(mixed)).toBe('bad-section');
  });

  it('refuses a calibration that is not monotone increasing or not Platt', () => {
    for (const calibration of [
      { method: 'platt', slope: 0, intercept: 0 },
      { method: 'platt', slope: -1, intercept: 0 },
      { method: 'isotonic', slope: 1, intercept: 0 },
      { method: 'platt', slope: 1, intercept: 0, run: 'code' },
    ]) {
      expect(
        reason(
          forge(small.slice(), (h) => {
            h.calibration = calibration;
          }),
        ),
      ).toBe('bad-header');
    }
  });

  it(`refuses every truncation of a small artifact (${small.length} points) by name`, () => {
    const reasons = new Set<string>();
    for (let length = 0; length < small.length; length++) reasons.add(reason(small.subarray(0, length)));
    expect([...reasons].sort()).toEqual(
      ['bad-magic', 'checksum-mismatch', 'truncated'].filter((r) => reasons.has(r)),
    );
    expect(reasons.has('accepted')).toBe(false);
  });

  it('refuses 3,000 random byte flips of a real model by its checksum', async () => {
    const sample = await readDataset(new URL('../../data/imdb-sample.csv.gz', import.meta.url).pathname);
    const real = encodeModel(fitSentimentModel(sample.texts, sample.labels, PRESETS.default).model);
    const random = seededRandom(7);
    const tally = new Map<string, number>();
    for (let n = 0; n < 3000; n++) {
      const copy = real.slice();
      const at = Math.floor(random() * copy.length);
      copy[at] ^= 1 + Math.floor(random() * 255);
      const r = reason(copy);
      tally.set(r, (tally.get(r) ?? 0) + 1);
    }
    console.info(`byte flips of a ${real.length}-byte model: ${JSON.stringify(Object.fromEntries(tally))}`);
    expect(tally.get('accepted')).toBeUndefined();
  }, 60_000);

  it('refuses re-signed files whose header lies about sizes, without allocating what they claim', () => {
    const huge = forge(small, (h) => {
      h.sections.weights.length = 2 ** 31;
    });
    expect(reason(huge)).toBe('bad-section');
    const outside = forge(small, (h) => {
      h.sections.terms.offset = 1 << 30;
    });
    expect(reason(outside)).toBe('bad-section');
    const misaligned = forge(small, (h) => {
      h.sections.weights.offset += 4;
    });
    expect(reason(misaligned)).toBe('bad-section');
    const negative = forge(small, (h) => {
      h.sections.termLengths.length = -1;
    });
    expect(reason(negative)).toBe('bad-header');
    const wrongKind = forge(small, (h) => {
      h.kind = 'pickle';
    });
    expect(reason(wrongKind)).toBe('bad-header');
    const fewerWeights = forge(small, (h) => {
      h.sections.weights.length -= 1;
    });
    expect(reason(fewerWeights)).toBe('bad-section');
    const badNgram = forge(small, (h) => {
      h.analyzer.ngramRange = [3, 1];
    });
    expect(reason(badNgram)).toBe('bad-section');
  });

  it('refuses a vocabulary whose lengths overrun its bytes or that repeats a term', () => {
    const bytes = encodeModel(tinyModel());
    const corrupt = (edit: (lengths: Uint8Array) => void) => {
      // Re-signing an untouched header gives a valid copy to corrupt.
      const copy = forge(bytes, () => {});
      const headerLength = new DataView(copy.buffer).getUint32(12, true);
      const header = JSON.parse(new TextDecoder().decode(copy.subarray(16, 16 + headerLength)));
      const at = ((16 + headerLength + 7) & ~7) + header.sections.termLengths.offset;
      edit(copy.subarray(at, at + header.sections.termLengths.length));
      return resign(copy);
    };
    expect(reason(corrupt(() => {}))).toBe('accepted');
    expect(
      reason(
        corrupt((lengths) => {
          lengths[0] = 255;
          lengths[1] = 255;
        }),
      ),
    ).toBe('bad-section');
    // Re-cut so that terms 0 and 1 are both empty (the same term twice), the bytes going to term 2.
    const duplicate = corrupt((lengths) => {
      lengths[2] += lengths[0] + lengths[1];
      lengths[0] = 0;
      lengths[1] = 0;
    });
    expect(reason(duplicate)).toBe('bad-section');
  });
});

describe('artifacts that pass the checksum but lie about their values', () => {
  const small = encodeModel(tinyModel(), { precision: 'float64' });
  /** Rewrites one value of a float64 section in place and re-signs the file. */
  const withValue = (section: 'weights' | 'idfPalette', index: number, value: number) => {
    const copy = small.slice();
    const view = new DataView(copy.buffer);
    const headerLength = view.getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(copy.subarray(16, 16 + headerLength)));
    const dataStart = (16 + headerLength + 7) & ~7;
    view.setFloat64(dataStart + header.sections[section].offset + index * 8, value, true);
    return resign(copy);
  };
  const refusal = (bytes: Uint8Array) => {
    try {
      decodeModel(bytes, 'model.sntm');
      return 'accepted';
    } catch (error) {
      return error instanceof ModelLoadError ? `${error.reason}: ${error.message}` : String(error);
    }
  };

  it('refuses NaN or infinite weights, and weights beyond any trained model', () => {
    expect(refusal(withValue('weights', 3, Number.NaN))).toMatch(/^bad-values: .*weight 3 is NaN/);
    expect(refusal(withValue('weights', 0, Number.POSITIVE_INFINITY))).toMatch(/^bad-values:/);
    expect(refusal(withValue('weights', 1, -1e300))).toMatch(/^bad-values:/);
    expect(refusal(withValue('weights', 1, 12.5))).toBe('accepted');
  });

  it('refuses idf below 1, NaN idf, and an intercept of 1e308', () => {
    expect(refusal(withValue('idfPalette', 2, -3))).toMatch(
      /^bad-values: .*idf \d+ is -3; idf is at least 1/,
    );
    expect(refusal(withValue('idfPalette', 0, Number.NaN))).toMatch(/^bad-values:/);
    const intercept = forge(small.slice(), (h) => {
      (h as unknown as { intercept: number }).intercept = 1e308;
    });
    expect(refusal(intercept)).toMatch(/^bad-values: .*intercept 1e\+308/);
  });

  it('refuses sections that overlap', () => {
    const overlapping = forge(small.slice(), (h) => {
      h.sections.weights.offset = h.sections.terms.offset;
    });
    expect(refusal(overlapping)).toMatch(/^bad-section: .*overlap/);
  });

  it('refuses metadata nested deeper than 32 levels, without parsing it (100,000 deep here)', () => {
    const deep = forgeText(small, (text) =>
      text.replace('"metadata":{', `"metadata":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)},`),
    );
    try {
      decodeModel(deep, 'model.sntm');
      throw new Error('accepted');
    } catch (error) {
      expect((error as ModelLoadError).reason).toBe('bad-header');
      expect(String(((error as Error).cause as Error).message)).toMatch(
        /nests \d+ levels deep \(at most 32\)/,
      );
    }
  });
});

describe('vocabularies built to collide', () => {
  /** `count` distinct terms whose FNV-1a hashes all land on slot 0 of a table sized for `tableTerms`. */
  function collidingTerms(count: number, tableTerms: number): string[] {
    const mask = 2 ** Math.ceil(Math.log2(Math.max(32, tableTerms * 2))) - 1;
    const out: string[] = [];
    const encoder = new TextEncoder();
    for (let i = 0; out.length < count; i++) {
      const term = `t${i.toString(36)}`;
      const bytes = encoder.encode(term);
      if ((hashBytes(bytes, 0, bytes.length) & mask) === 0) out.push(term);
    }
    return out;
  }
  const modelOver = (terms: string[]) => {
    const base = tinyModel();
    const vocabulary = TermTable.fromTerms(terms);
    return encodeModel(
      new SentimentModel({
        ...base.parameters,
        vocabulary,
        idf: new Float64Array(terms.length).fill(1),
        weights: new Float64Array(terms.length),
      }),
    );
  };

  it(`refuses a table whose probes run past ${MAX_PROBE} slots, by name`, () => {
    // Ordinary terms keep the average low; one cluster of colliding ones comes last.
    const ordinary = Array.from({ length: 3000 }, (_, i) => `w${i}`);
    const cluster = collidingTerms(MAX_PROBE + 10, 3000 + MAX_PROBE + 10).filter(
      (t) => !ordinary.includes(t),
    );
    const crafted = modelOver([...ordinary, ...cluster]);
    expect(() => decodeModel(crafted, 'model.sntm')).toThrow(
      /model\.sntm: vocabulary is inconsistent: term \d+ needs a probe of \d+ slots \(at most 128\): the terms collide/,
    );
    expect(reason(crafted)).toBe('bad-section');
  });

  it('refuses a table that degenerates on average even when no single probe is long', () => {
    // Many short clusters: each under MAX_PROBE, together far over MAX_MEAN_PROBES a term.
    const per = MAX_PROBE - 8;
    const clusters = 40;
    const total = per * clusters;
    const mask = 2 ** Math.ceil(Math.log2(total * 2)) - 1;
    const byslot = new Map<number, string[]>();
    const encoder = new TextEncoder();
    const wanted = Array.from({ length: clusters }, (_, k) => k * Math.floor(mask / clusters));
    for (let i = 0; [...byslot.values()].reduce((s, l) => s + l.length, 0) < total; i++) {
      const term = `u${i.toString(36)}`;
      const bytes = encoder.encode(term);
      const slot = hashBytes(bytes, 0, bytes.length) & mask;
      if (!wanted.includes(slot)) continue;
      const list = byslot.get(slot) ?? [];
      if (list.length < per) byslot.set(slot, [...list, term]);
    }
    expect(reason(modelOver([...byslot.values()].flat()))).toBe('bad-section');
    expect(MAX_MEAN_PROBES).toBeLessThan(per / 2);
  });

  it('loads an ordinary vocabulary of the same size', () => {
    const ordinary = Array.from({ length: MAX_PROBE + 10 }, (_, i) => `w${i}`);
    expect(reason(modelOver(ordinary))).toBe('accepted');
  });
});

describe('re-signed random corruption (the checksum no longer protects)', () => {
  it('2,000 mutated and re-signed files are each refused by name or load as a model with finite answers', () => {
    const original = encodeModel(tinyModel(), { precision: 'float64' });
    const random = seededRandom(11);
    const tally = new Map<string, number>();
    for (let n = 0; n < 2000; n++) {
      const copy = original.slice();
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) {
        // Header and data both: the first 16 bytes are magic and lengths, then JSON, then sections.
        const at = Math.floor(random() * (copy.length - 32));
        copy[at] ^= 1 + Math.floor(random() * 255);
      }
      resign(copy);
      let outcome: string;
      try {
        const model = decodeModel(copy, 'model.sntm');
        for (const text of ['a great film', 'awful', '', 'x y z great awful']) {
          const p = model.predict(text);
          expect(Number.isFinite(p.probabilityPositive)).toBe(true);
          expect(p.confidence).toBeGreaterThanOrEqual(0.5);
        }
        outcome = 'loaded, finite';
      } catch (error) {
        if (!(error instanceof ModelLoadError)) throw error;
        outcome = error.reason;
      }
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
    }
    console.info(`re-signed mutations: ${JSON.stringify(Object.fromEntries(tally))}`);
    expect([...tally.keys()].filter((k) => k !== 'loaded, finite').length).toBeGreaterThan(2);
  });
});

describe('version 3 sections that lie', () => {
  const bytes = encodeModel(tinyModel(), { precision: 'int16' });
  const headerOf = (b: Uint8Array) => {
    const length = new DataView(b.buffer, b.byteOffset).getUint32(12, true);
    return {
      header: JSON.parse(new TextDecoder().decode(b.subarray(16, 16 + length))),
      dataStart: (16 + length + 7) & ~7,
    };
  };
  /** A copy with one byte of a section set, re-signed. */
  const withByte = (section: string, index: number, value: number) => {
    const copy = bytes.slice();
    const { header, dataStart } = headerOf(copy);
    copy[dataStart + header.sections[section].offset + index] = value;
    return resign(copy);
  };
  const refusal = (b: Uint8Array) => {
    try {
      decodeModel(b, 'model.sntm');
      return 'accepted';
    } catch (error) {
      return error instanceof ModelLoadError ? `${error.reason}: ${error.message}` : String(error);
    }
  };

  it('loads the int16, front-coded, palette file it writes', () => {
    expect(refusal(bytes)).toBe('accepted');
    expect(headerOf(bytes).header.sections.weights.dtype).toBe('int16');
  });

  it('refuses a term claiming more shared bytes than the term before it has, by name', () => {
    expect(refusal(withByte('termPrefixes', 0, 3))).toMatch(
      /^bad-section: .*term 0 shares 3 bytes with a 0-byte term/,
    );
  });

  it('refuses an idf index past the palette', () => {
    const { header } = headerOf(bytes);
    expect(header.sections.idfIndex.dtype).toBe('uint8');
    expect(refusal(withByte('idfIndex', 1, 255))).toMatch(
      /^bad-section: .*idf index 1 is 255, past the \d+-value palette/,
    );
    // At the edge: the palette's last value is taken, one past it refused.
    const size = header.sections.idfPalette.length;
    expect(refusal(withByte('idfIndex', 2, size - 1))).toBe('accepted');
    expect(refusal(withByte('idfIndex', 2, size))).toBe(
      `bad-section: model.sntm: idf index 2 is ${size}, past the ${size}-value palette`,
    );
  });

  it('refuses int16 weights without their scale, and version 3 sections missing', () => {
    expect(
      refusal(
        forge(bytes.slice(), (h) => {
          delete (h as unknown as { weightScale?: number }).weightScale;
        }),
      ),
    ).toMatch(/^bad-header: .*weightScale/);
    expect(
      refusal(
        forge(bytes.slice(), (h) => {
          delete (h.sections as Record<string, unknown>).termPrefixes;
        }),
      ),
    ).toMatch(/^bad-section: .*needs a termPrefixes section/);
  });
});
