import * as z from 'zod';
import { SentimentError } from '../errors.js';
import { type ModelStore, readIfPresent } from './model-store.js';

const entrySchema = z.object({
  version: z.string().regex(/^[0-9a-f]{64}$/),
  // A key relative to the manifest's folder that stays inside it: no scheme, no leading slash, no
  // `..` or `.` segment, no backslash (a manifest must not point a loader outside its prefix).
  key: z
    .string()
    .min(1)
    .max(1024)
    .refine(
      (key) =>
        !/^[a-z][a-z0-9+.-]*:/i.test(key) &&
        !key.startsWith('/') &&
        !key.includes('\\') &&
        key.split('/').every((segment) => segment !== '' && segment !== '..' && segment !== '.'),
      'must be a path inside the manifest\'s folder (no "..", no leading "/", no scheme)',
    ),
  publishedAt: z.string(),
  bytes: z.number().int().positive(),
  preset: z.string().nullable().optional(),
  testAccuracy: z.number().nullable().optional(),
});
export type ManifestEntry = z.infer<typeof entrySchema>;

const manifestSchema = z.object({
  kind: z.literal('serverless-sentiment/manifest'),
  current: z.string().regex(/^[0-9a-f]{64}$/),
  updatedAt: z.string(),
  history: z.array(entrySchema).min(1),
});
export type Manifest = z.infer<typeof manifestSchema>;

export class ManifestError extends SentimentError {
  override readonly name = 'ManifestError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('manifest_invalid', message, options);
  }
}

import { MANIFEST_NAME } from './manifest-uri.js';

export { isManifestUri, MANIFEST_NAME } from './manifest-uri.js';

/** The manifest at `uri`, or null when there is none yet. */
export async function readManifest(
  store: ModelStore,
  uri: string,
  options: { signal?: AbortSignal } = {},
): Promise<Manifest | null> {
  const bytes = await readIfPresent(store, uri, options);
  return bytes === null ? null : parseManifest(bytes, uri);
}

/** A manifest's bytes, checked: JSON of the manifest's shape whose current version is in its history. */
export function parseManifest(bytes: Uint8Array, uri: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ManifestError(`${uri}: not valid JSON`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new ManifestError(`${uri}: not a model manifest (${parsed.error.message})`);
  if (!parsed.data.history.some((entry) => entry.version === parsed.data.current)) {
    throw new ManifestError(
      `${uri}: current version ${parsed.data.current.slice(0, 12)} is not in its history`,
    );
  }
  return parsed.data;
}

export async function writeManifest(store: ModelStore, uri: string, manifest: Manifest): Promise<void> {
  await store.write(
    uri,
    new TextEncoder().encode(`${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`),
  );
}

/** The manifest's current entry. */
export function currentEntry(manifest: Manifest): ManifestEntry {
  return manifest.history.find((entry) => entry.version === manifest.current)!;
}

/** The URI of an artifact the manifest names (keys are relative to the manifest's folder). */
export function entryUri(manifestUri: string, entry: ManifestEntry): string {
  return `${manifestUri.slice(0, manifestUri.length - MANIFEST_NAME.length)}${entry.key}`;
}
