import { describe, expect, it } from 'vitest';
import * as light from '../src/lambda-fetch.js';

// The Lambda bundle's Headers, Request and Response, side by side with Node's own (undici's): every
// case runs on both and must give the same answer, or both must throw a TypeError or a RangeError.
const IMPLEMENTATIONS = [
  ['Node', { Headers: globalThis.Headers, Request: globalThis.Request, Response: globalThis.Response }],
  ['src/lambda-fetch.ts', light],
] as const;
type Fetch = (typeof IMPLEMENTATIONS)[number][1];

async function outcome(run: (fetch: Fetch) => unknown): Promise<unknown[]> {
  const results = [];
  for (const [, fetch] of IMPLEMENTATIONS) {
    try {
      results.push({ value: await run(fetch) });
    } catch (error) {
      results.push({ threw: (error as Error).constructor.name });
    }
  }
  return results;
}

async function expectSame(run: (fetch: Fetch) => unknown) {
  const [node, ours] = await outcome(run);
  expect(ours).toEqual(node);
  return node;
}

const entries = (headers: { forEach(cb: (v: string, k: string) => void): void }) => {
  const out: string[][] = [];
  headers.forEach((value, name) => out.push([name, value]));
  return out;
};

describe('the Lambda bundle’s Fetch classes answer as Node’s do', () => {
  it('Headers: names case-insensitive, values trimmed and joined, iterated sorted, set-cookie apart', async () => {
    await expectSame(({ Headers }) => {
      const h = new Headers({ 'X-B': ' two ', 'x-a': 'one' });
      h.append('X-b', 'three');
      h.append('Set-Cookie', 'a=1');
      h.append('set-cookie', 'b=2');
      h.set('Content-Type', '\tapplication/json ');
      return {
        b: h.get('x-b'),
        upper: h.get('X-A'),
        missing: h.get('x-missing'),
        has: [h.has('X-A'), h.has('x-z')],
        cookie: h.get('set-cookie'),
        cookies: h.getSetCookie(),
        all: [...h],
        forEach: entries(h),
        keys: [...h.keys()],
        values: [...h.values()],
      };
    });
  });

  it('Headers: built from pairs and from another Headers, deletes, overwrites', async () => {
    const value = await expectSame(({ Headers }) => {
      const h = new Headers([
        ['a', '1'],
        ['A', '2'],
        ['set-cookie', 'x=1'],
        ['set-cookie', 'y=2'],
      ]);
      const copy = new Headers(h);
      copy.delete('A');
      copy.set('b', '3');
      return { original: [...h], copy: [...copy], cookies: copy.getSetCookie() };
    });
    expect(value).toEqual({
      value: {
        original: [
          ['a', '1, 2'],
          ['set-cookie', 'x=1'],
          ['set-cookie', 'y=2'],
        ],
        copy: [
          ['b', '3'],
          ['set-cookie', 'x=1'],
          ['set-cookie', 'y=2'],
        ],
        cookies: ['x=1', 'y=2'],
      },
    });
  });

  it.each([
    ['a name with a space', 'bad name', 'x'],
    ['an empty name', '', 'x'],
    ['a name with a colon', 'a:b', 'x'],
    ['a value with a newline', 'x-a', 'one\ntwo'],
    ['a value with a NUL', 'x-a', 'one\0two'],
    ['a value past Latin-1', 'x-a', 'caf\u0101'],
  ])('Headers: refuses %s with a TypeError', async (_name, name, value) => {
    const [node] = await outcome(({ Headers }) => new Headers().append(name, value));
    expect(node).toEqual({ threw: 'TypeError' });
    await expectSame(({ Headers }) => new Headers().append(name, value));
    await expectSame(({ Headers }) => new Headers({ [name]: value }));
  });

  it('Headers: keeps Latin-1 and inner whitespace in values', async () => {
    await expectSame(({ Headers }) => new Headers({ 'x-a': 'caf\u00e9  au\tlait' }).get('x-a'));
  });

  it('Request: URL parsed and serialized, standard methods upper-cased, others kept', async () => {
    await expectSame(({ Request }) => {
      const a = new Request('https://Example.com/a/../b/%7e c?x=1&y#frag', { method: 'post' });
      const b = new Request('https://example.com/', { method: 'Purge' });
      const c = new Request('https://example.com/');
      return [a.url, a.method, b.method, c.method, c.bodyUsed];
    });
  });

  it.each([
    ['a relative URL', '/predict', {}],
    ['a URL with credentials', 'https://user:pw@example.com/', {}],
    ['a GET with a body', 'https://example.com/', { method: 'GET', body: 'x' }],
    ['a HEAD with a body', 'https://example.com/', { method: 'HEAD', body: 'x' }],
    ['a forbidden method', 'https://example.com/', { method: 'CONNECT' }],
    ['a method that is not a token', 'https://example.com/', { method: 'GE T' }],
  ])('Request: refuses %s with a TypeError', async (_name, url, init) => {
    const [node] = await outcome(({ Request }) => new Request(url, init as never));
    expect(node).toEqual({ threw: 'TypeError' });
    await expectSame(({ Request }) => new Request(url, init as never));
  });

  it('Request: a body of bytes is read once, as text, JSON, bytes or a stream', async () => {
    const body = new TextEncoder().encode('{"review":"caf\u00e9 \ud83c\udfac"}');
    await expectSame(async ({ Request }) => {
      const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
      const asText = new Request('https://example.com/predict', init);
      const text = await asText.text();
      const second = await asText.text().then(
        () => 'read again',
        (error: Error) => error.constructor.name,
      );
      const json = await new Request('https://example.com/predict', init).json();
      const buffer = new Uint8Array(await new Request('https://example.com/predict', init).arrayBuffer());
      const streamed = new Request('https://example.com/predict', init);
      const reader = streamed.body!.getReader();
      const chunks: number[] = [];
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(...r.value);
      return {
        text,
        second,
        used: asText.bodyUsed,
        json,
        buffer: [...buffer],
        chunks,
        after: streamed.bodyUsed,
      };
    });
  });

  it('Request: a string body gets a text/plain type unless one is given; no body reads as empty', async () => {
    await expectSame(async ({ Request }) => {
      const typed = new Request('https://example.com/', { method: 'POST', body: 'hi' });
      const given = new Request('https://example.com/', {
        method: 'POST',
        body: 'hi',
        headers: { 'Content-Type': 'application/json' },
      });
      const none = new Request('https://example.com/', { method: 'POST' });
      return [
        typed.headers.get('content-type'),
        given.headers.get('content-type'),
        none.body,
        await none.text(),
      ];
    });
  });

  it('Request: carries the signal it was given, or one that has not fired', async () => {
    await expectSame(({ Request }) => {
      const controller = new AbortController();
      controller.abort();
      const given = new Request('https://example.com/', { signal: controller.signal });
      const fresh = new Request('https://example.com/');
      return [given.signal.aborted, fresh.signal.aborted, fresh.signal instanceof AbortSignal];
    });
  });

  it('Response: status, ok, default type of a string body, bytes and JSON bodies', async () => {
    await expectSame(async ({ Response }) => {
      const text = new Response('caf\u00e9');
      const json = new Response('{"a":1}', { status: 201, headers: { 'content-type': 'application/json' } });
      const bytes = new Response(new Uint8Array([104, 105]), { status: 404, statusText: 'Not Found' });
      const empty = new Response(null, { status: 204 });
      return {
        text: [text.status, text.ok, text.statusText, text.headers.get('content-type'), await text.text()],
        json: [json.status, json.ok, await json.json()],
        bytes: [
          bytes.status,
          bytes.ok,
          bytes.statusText,
          bytes.headers.get('content-type'),
          await bytes.text(),
        ],
        empty: [empty.status, empty.body, await empty.text()],
        fractional: new Response('x', { status: 201.9 }).status,
        arrayBuffer: [...new Uint8Array(await new Response('ab').arrayBuffer())],
        staticJson: await Response.json({ a: [1] }, { status: 202 }).text(),
        staticJsonType: Response.json({}).headers.get('content-type'),
      };
    });
  });

  it('Response: built from another response (as Hono does for HEAD and when it re-wraps one)', async () => {
    await expectSame(async ({ Response, Headers }) => {
      const first = new Response('{"a":1}', {
        status: 503,
        statusText: 'Service Unavailable',
        headers: new Headers({ 'content-type': 'application/json', 'retry-after': '1' }),
      });
      const head = new Response(null, first);
      const rewrapped = new Response(first.body, first);
      return {
        head: [head.status, head.statusText, [...head.headers], head.body],
        rewrapped: [rewrapped.status, [...rewrapped.headers], await rewrapped.text()],
        firstUsed: first.bodyUsed,
      };
    });
  });

  it.each([
    ['a status under 200', 'x', { status: 199 }],
    ['a status over 599', 'x', { status: 600 }],
    ['a negative status', 'x', { status: -200 }],
    ['a body on a 204', 'x', { status: 204 }],
    ['a body on a 304', 'x', { status: 304 }],
  ])('Response: refuses %s as Node does', async (_name, body, init) => {
    const [node] = await outcome(({ Response }) => new Response(body, init));
    expect(node).toHaveProperty('threw');
    await expectSame(({ Response }) => new Response(body, init));
  });
});
