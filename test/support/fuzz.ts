import { seededRandom } from '../../src/training/split.js';

/** One generated request: what the HTTP app or the Lambda adapter receives. */
export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  /** For Lambda events: the base64 flag, which may lie. */
  base64?: boolean;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const PATHS = [
  '/predict',
  '/predict/',
  '/health',
  '/model',
  '/openapi.json',
  '/',
  '/nope',
  '/predict/../model',
  '/%00',
  '/predict?explain=maybe',
  `/${'a'.repeat(2000)}`,
];
const TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  'application/vnd.api+json',
  'application/json;;;',
  '*/*',
];

/** Seeded generator of malformed and hostile requests, reproducible from its seed. */
export function fuzzRequests(
  count: number,
  seed: number,
  limits: { maxBodyBytes: number; maxReviewChars: number; maxBatchSize: number },
): FuzzRequest[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  const encode = (s: string) => new TextEncoder().encode(s);
  const randomText = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      const r = random();
      s +=
        r < 0.7
          ? String.fromCharCode(32 + int(95))
          : r < 0.85
            ? String.fromCharCode(int(0x2fff))
            : r < 0.9
              ? '\u0000'
              : r < 0.95
                ? '\ud800'
                : '😀';
    }
    return s;
  };
  const json = (value: unknown) => encode(JSON.stringify(value));
  const generators: Array<[string, () => Omit<FuzzRequest, 'kind'>]> = [
    [
      'invalid json',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'application/json' },
        body: encode(
          pick([
            '{',
            '{"review": ',
            '{"review": "x"',
            'nul',
            '[1,',
            '{"review": "a"}}',
            "{'review': 'x'}",
            randomText(40),
          ]),
        ),
      }),
    ],
    [
      'random bytes',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'application/json' },
        body: Uint8Array.from({ length: int(300) }, () => int(256)),
      }),
    ],
    [
      'invalid utf-8',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'application/json' },
        body: Uint8Array.from([...encode('{"review": "'), 0xc3, 0x28, 0xff, 0xfe, ...encode('"}')]),
      }),
    ],
    [
      'nul and lone surrogates in text',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'application/json' },
        body: json({ review: `ok ${randomText(1 + int(200))}` }),
      }),
    ],
    [
      'deep nesting',
      () => {
        const depth = 1 + int(20_000);
        return {
          method: 'POST',
          path: '/predict',
          headers: { 'content-type': 'application/json' },
          body: encode(
            random() < 0.5
              ? `${'['.repeat(depth)}${']'.repeat(depth)}`
              : `{"review": ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
          ),
        };
      },
    ],
    [
      'wrong types',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'application/json' },
        body: json(
          pick<unknown>([
            { review: 1 },
            { review: null },
            { review: [] },
            { review: {} },
            { review: true },
            { reviews: 'x' },
            { reviews: [1, 2] },
            { reviews: [null] },
            { reviews: {} },
            { review: 'x', explain: 'yes' },
            { review: 'x', top: 0 },
            { review: 'x', top: 1e9 },
            { review: 'x', top: 2.5 },
            42,
            'review',
            null,
            [],
            { review: 'a', reviews: ['b'] },
            JSON.parse('{"__proto__": {"review": "x"}}'),
            JSON.parse('{"constructor": {"prototype": {}}}'),
          ]),
        ),
      }),
    ],
    [
      'empty and whitespace',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'application/json' },
        body: pick([
          encode(''),
          encode('   '),
          json({ review: '' }),
          json({ review: ' \n\t ' }),
          json({ reviews: [] }),
          json({ reviews: [''] }),
        ]),
      }),
    ],
    [
      'huge review',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'application/json' },
        body: json({ review: 'great '.repeat(Math.ceil((limits.maxReviewChars + 1 + int(1000)) / 6)) }),
      }),
    ],
    [
      'huge batch',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'application/json' },
        body: json({
          reviews: Array.from({ length: limits.maxBatchSize + 1 + int(50) }, (_, i) => `review ${i}`),
        }),
      }),
    ],
    [
      'huge body',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array(limits.maxBodyBytes + 1 + int(1000)).fill(0x20),
      }),
    ],
    [
      'wrong method or path',
      () => ({
        method: pick(METHODS),
        path: pick(PATHS),
        headers: { 'content-type': pick(TYPES) },
        body: random() < 0.5 ? json({ review: 'great' }) : null,
      }),
    ],
    [
      'wrong content type',
      () => ({
        method: 'POST',
        path: '/predict',
        headers: { 'content-type': pick(TYPES) },
        body: json({ review: 'great film' }),
      }),
    ],
    [
      'valid',
      () => ({
        method: 'POST',
        path: pick(['/predict', '/predict?explain=true']),
        headers: { 'content-type': 'application/json' },
        body: json(
          random() < 0.5
            ? { review: randomText(1 + int(500)) }
            : {
                reviews: Array.from({ length: 1 + int(5) }, () => randomText(1 + int(100))),
                explain: random() < 0.5,
              },
        ),
      }),
    ],
  ];
  return Array.from({ length: count }, () => {
    const [kind, make] = pick(generators);
    const request = make();
    return { kind, ...request, base64: random() < 0.15 ? true : undefined };
  });
}
