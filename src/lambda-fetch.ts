/**
 * The Fetch API's Headers, Request and Response, as much of them as Hono and this app use, for the
 * Lambda bundle only (`scripts/build-lambda.mjs` gives them to Hono's modules in place of the
 * globals). Node's own are undici's: the first use of any of them loads undici, 40-60 ms of a
 * fresh Node 24 process measured here, while a Lambda event and its answer are whole strings.
 *
 * What they keep of the standard (test/lambda-fetch.test.ts runs each case on Node's too): header
 * names and values checked and normalized alike (TypeError for a bad one), names case-insensitive
 * and iterated in sorted order, `set-cookie` values kept apart; a request's URL parsed, its method
 * normalized, GET and HEAD without a body; a body read once, as text, JSON, bytes or a stream;
 * response statuses in 200-599 and a text/plain type given to a string body. What they leave out:
 * FormData, Blob and URLSearchParams bodies, redirects, clone(), a request's cache, mode and
 * credentials.
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
// A header value is a byte string without NUL, CR or LF.
const BAD_VALUE = /[\0\r\n\u0100-\uffff]/;

type HeadersLike = { forEach(callback: (value: string, name: string) => void): void };
type HeadersSource = HeadersLike | Iterable<readonly [string, string]> | Record<string, string> | undefined;

function headerName(name: string): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`invalid header name: ${JSON.stringify(text)}`);
  return text.toLowerCase();
}

function headerValue(value: string): string {
  const text = String(value).replace(EDGE_WHITESPACE, '');
  if (BAD_VALUE.test(text)) throw new TypeError(`invalid header value: ${JSON.stringify(text)}`);
  return text;
}

export class Headers {
  /** Lowercased name → values in the order they were appended. */
  readonly #values = new Map<string, string[]>();

  constructor(init?: HeadersSource) {
    if (init === undefined || init === null) return;
    if (typeof (init as HeadersLike).forEach === 'function' && !Array.isArray(init)) {
      const source = init as HeadersLike & { getSetCookie?: () => string[] };
      source.forEach((value, name) => {
        if (name !== 'set-cookie') this.append(name, value);
      });
      for (const cookie of source.getSetCookie?.() ?? []) this.append('set-cookie', cookie);
    } else if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const pair of init as Iterable<readonly [string, string]>) {
        if (pair.length !== 2) throw new TypeError('a header pair must have a name and a value');
        this.append(pair[0], pair[1]);
      }
    } else {
      for (const [name, value] of Object.entries(init)) this.append(name, value);
    }
  }

  append(name: string, value: string): void {
    const key = headerName(name);
    const text = headerValue(value);
    const values = this.#values.get(key);
    if (values) values.push(text);
    else this.#values.set(key, [text]);
  }

  set(name: string, value: string): void {
    this.#values.set(headerName(name), [headerValue(value)]);
  }

  get(name: string): string | null {
    return this.#values.get(headerName(name))?.join(', ') ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(headerName(name));
  }

  delete(name: string): void {
    this.#values.delete(headerName(name));
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  /** [name, value] pairs sorted by name, each set-cookie apart, the other names' values joined. */
  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const values = this.#values.get(name);
      if (!values) continue;
      if (name === 'set-cookie') for (const value of values) yield [name, value];
      else yield [name, values.join(', ')];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }
}

type BodySource = string | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array> | null | undefined;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message's headers: a string body without a type is text/plain. */
function headersFor(init: HeadersSource, body: BodySource): Headers {
  const headers = new Headers(init);
  if (typeof body === 'string' && !headers.has('content-type'))
    headers.set('content-type', 'text/plain;charset=UTF-8');
  return headers;
}

/** A body read at most once, held as bytes (or as a stream someone handed over). */
class Body {
  #bytes: Uint8Array | null;
  #stream: ReadableStream<Uint8Array> | null;
  #used = false;

  constructor(source: BodySource) {
    this.#stream = null;
    if (source === null || source === undefined) this.#bytes = null;
    else if (typeof source === 'string') this.#bytes = encoder.encode(source);
    else if (source instanceof Uint8Array) this.#bytes = source;
    else if (source instanceof ArrayBuffer) this.#bytes = new Uint8Array(source);
    else if (typeof (source as ReadableStream).getReader === 'function') {
      this.#bytes = null;
      this.#stream = source as ReadableStream<Uint8Array>;
    } else throw new TypeError('unsupported body: send a string, bytes or a stream');
  }

  get isNull(): boolean {
    return this.#bytes === null && this.#stream === null;
  }

  get used(): boolean {
    return this.#used;
  }

  /** The body as a stream of one chunk; taking it counts as reading it. */
  stream(): ReadableStream<Uint8Array> | null {
    if (this.#stream) return this.#stream;
    const bytes = this.#bytes;
    if (bytes === null) return null;
    this.#stream = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        this.#used = true;
        if (bytes.length > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
    return this.#stream;
  }

  async bytes(): Promise<Uint8Array> {
    if (this.#used) throw new TypeError('the body has already been read');
    this.#used = true;
    if (this.#stream === null) return this.#bytes ?? new Uint8Array(0);
    const chunks: Uint8Array[] = [];
    let length = 0;
    const reader = this.#stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
    return Buffer.concat(chunks, length);
  }
}

abstract class Message {
  readonly #body: Body;

  constructor(body: Body) {
    this.#body = body;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#body.stream();
  }

  get bodyUsed(): boolean {
    return this.#body.used;
  }

  bytes(): Promise<Uint8Array> {
    return this.#body.bytes();
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#body.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return decoder.decode(await this.#body.bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

interface RequestOptions {
  method?: string;
  headers?: HeadersSource;
  body?: BodySource;
  signal?: AbortSignal | null;
}

export class Request extends Message {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;

  constructor(input: string | URL, init: RequestOptions = {}) {
    let url: URL;
    try {
      url = new URL(String(input));
    } catch (error) {
      throw new TypeError(`invalid URL: ${String(input)}`, { cause: error });
    }
    if (url.username || url.password) throw new TypeError('a request URL cannot carry credentials');
    let method = init.method ?? 'GET';
    if (!TOKEN.test(method)) throw new TypeError(`invalid method: ${JSON.stringify(method)}`);
    const upper = method.toUpperCase();
    if (STANDARD_METHODS.has(upper)) method = upper;
    if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`method ${method} is forbidden`);
    const hasBody = init.body !== undefined && init.body !== null;
    if (hasBody && (method === 'GET' || method === 'HEAD'))
      throw new TypeError(`a ${method} request cannot have a body`);
    super(new Body(init.body));
    this.url = url.href;
    this.method = method;
    this.headers = headersFor(init.headers, init.body);
    this.signal = init.signal ?? new AbortController().signal;
  }
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

interface ResponseOptions {
  status?: number;
  statusText?: string;
  headers?: HeadersSource;
}

export class Response extends Message {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;

  constructor(body?: BodySource, init: ResponseOptions = {}) {
    // As Web IDL converts an `unsigned short`: truncated, modulo 2^16.
    const status = init.status === undefined ? 200 : (Math.trunc(Number(init.status)) || 0) & 0xffff;
    if (status < 200 || status > 599) throw new RangeError(`status ${status} is not in 200-599`);
    const content = new Body(body);
    if (!content.isNull && NULL_BODY_STATUSES.has(status))
      throw new TypeError(`a ${status} response cannot have a body`);
    super(content);
    this.status = status;
    this.statusText = init.statusText ?? '';
    this.headers = headersFor(init.headers, body);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get type(): 'default' {
    return 'default';
  }

  get redirected(): boolean {
    return false;
  }

  static json(data: unknown, init: ResponseOptions = {}): Response {
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(data), { ...init, headers });
  }
}
