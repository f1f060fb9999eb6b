import { readConfig } from '../../src/api/config.js';
import { createService } from '../../src/api/service.js';
import { Telemetry } from '../../src/api/telemetry.js';
import { decodeModel, encodeModel, modelVersion } from '../../src/model/artifact.js';
import type { LoadedModel } from '../../src/store/load-model.js';
import type { ModelStore } from '../../src/store/model-store.js';
import { tinyModel } from '../model/helpers.js';

export const TINY_ARTIFACT = encodeModel(tinyModel());

export function tinyLoaded(): LoadedModel {
  return {
    model: decodeModel(TINY_ARTIFACT),
    uri: 'memory://tiny',
    version: modelVersion(TINY_ARTIFACT),
    bytes: TINY_ARTIFACT.length,
    artifact: TINY_ARTIFACT,
  };
}

/** A store over a map, counting reads; `failures` makes the next reads throw. */
export class MemoryStore implements ModelStore {
  reads = 0;
  failures = 0;
  constructor(readonly files: Map<string, Uint8Array> = new Map([['memory://tiny', TINY_ARTIFACT]])) {}
  async read(uri: string): Promise<Uint8Array> {
    this.reads++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.failures > 0) {
      this.failures--;
      throw new Error('store unavailable');
    }
    const bytes = this.files.get(uri);
    if (!bytes) throw new Error(`no ${uri}`);
    return bytes;
  }
  async write(uri: string, bytes: Uint8Array): Promise<void> {
    this.files.set(uri, bytes);
  }
}

export function testService(
  env: Record<string, string> = {},
  store = new MemoryStore(),
  platform: Parameters<typeof createService>[3] = {},
) {
  const config = readConfig({ MODEL_URI: 'memory://tiny', ...env });
  const telemetry = new Telemetry({ metrics: false, logLevel: 'SILENT' });
  return { ...createService(config, telemetry, store, platform), store, config };
}

export function post(
  body: unknown,
  init: { type?: string | null; raw?: string | Uint8Array; query?: string } = {},
): RequestInit & { path: string } {
  const headers: Record<string, string> = {};
  if (init.type !== null) headers['content-type'] = init.type ?? 'application/json';
  return {
    path: `/predict${init.query ?? ''}`,
    method: 'POST',
    headers,
    body: init.raw ?? JSON.stringify(body),
  };
}
