import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../src/data/read.js';
import { decodeModel, encodeModel } from '../../src/model/artifact.js';
import { ModelLoadError } from '../../src/model/errors.js';
import { fitSentimentModel } from '../../src/model/fit.js';
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
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)));
  edit(header);
  const encoded = new TextEncoder().encode(JSON.stringify(header));
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

  it('reads format version 1 (before calibration) and refuses a calibration claimed in one', () => {
    const v1 = asVersion(
      forge(small.slice(), (h) => {
        delete h.calibration;
      }),
      1,
    );
    expect(decodeModel(v1).predict('great film')).toEqual(decodeModel(small).predict('great film'));
    const lying = asVersion(
      forge(small.slice(), (h) => {
        h.calibration = { method: 'platt', slope: 1, intercept: 0 };
      }),
      1,
    );
    expect(reason(lying)).toBe('bad-header');
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
