import { decodeModel, FILE_EXTENSION, modelVersion } from '../model/artifact.js';
import {
  entryUri,
  MANIFEST_NAME,
  type Manifest,
  ManifestError,
  readManifest,
  writeManifest,
} from './manifest.js';
import { ModelNotFoundError, type ModelStore } from './model-store.js';

export interface PublishResult {
  version: string;
  artifactUri: string;
  manifestUri: string;
  uploaded: boolean;
  manifest: Manifest;
}

function join(prefix: string, key: string): string {
  return `${prefix.replace(/\/+$/, '')}/${key}`;
}

async function sameObject(store: ModelStore, uri: string, bytes: Uint8Array): Promise<boolean> {
  try {
    return Buffer.from(await store.read(uri)).equals(Buffer.from(bytes));
  } catch (error) {
    if (error instanceof ModelNotFoundError) return false;
    throw error;
  }
}

/**
 * Publishes an artifact under `<prefix>/models/<sha256>.sntm` (with its metrics beside it), reads it
 * back to verify it, and only then points `<prefix>/manifest.json` at it. Publishing the same model
 * again uploads nothing; a failure before the manifest write leaves the manifest as it was.
 */
export async function publishModel(
  store: ModelStore,
  bytes: Uint8Array,
  prefix: string,
  now: () => Date = () => new Date(),
): Promise<PublishResult> {
  const model = decodeModel(bytes, 'the model to publish');
  const version = modelVersion(bytes);
  const key = `models/${version}.${FILE_EXTENSION}`;
  const artifactUri = join(prefix, key);
  const manifestUri = join(prefix, MANIFEST_NAME);
  const existing = await readManifest(store, manifestUri);

  let uploaded = false;
  if (!(await sameObject(store, artifactUri, bytes))) {
    await store.write(artifactUri, bytes);
    uploaded = true;
    if (!(await sameObject(store, artifactUri, bytes))) {
      throw new ManifestError(`${artifactUri} did not read back as written; the manifest was not changed`);
    }
  }
  const metadata = model.metadata as { metrics?: { test?: { accuracy?: number } }; preset?: string };
  const metricsUri = join(prefix, `models/${version}.metrics.json`);
  const metrics = new TextEncoder().encode(
    `${JSON.stringify({ version, preset: metadata.preset ?? null, metrics: metadata.metrics ?? null }, null, 2)}\n`,
  );
  if (!(await sameObject(store, metricsUri, metrics))) await store.write(metricsUri, metrics);
  const previous = existing?.history.find((e) => e.version === version);
  if (existing && existing.current === version && previous) {
    return { version, artifactUri, manifestUri, uploaded, manifest: existing };
  }
  const publishedAt = now().toISOString();
  const entry = previous ?? {
    version,
    key,
    publishedAt,
    bytes: bytes.length,
    preset: metadata.preset ?? null,
    testAccuracy: metadata.metrics?.test?.accuracy ?? null,
  };
  // Re-publishing an older version makes it the newest entry, so rollback returns to what was current.
  const manifest: Manifest = {
    kind: 'serverless-sentiment/manifest',
    current: version,
    updatedAt: publishedAt,
    history: [...(existing?.history.filter((e) => e.version !== version) ?? []), entry],
  };
  await writeManifest(store, manifestUri, manifest);
  return { version, artifactUri, manifestUri, uploaded, manifest };
}

function resolveVersion(manifest: Manifest, prefixOfVersion: string): string {
  const matches = manifest.history.filter((e) => e.version.startsWith(prefixOfVersion.toLowerCase()));
  if (matches.length === 0) throw new ManifestError(`no published version starts with ${prefixOfVersion}`);
  if (matches.length > 1)
    throw new ManifestError(`${prefixOfVersion} matches ${matches.length} versions; give more digits`);
  return matches[0].version;
}

async function requireManifest(
  store: ModelStore,
  prefix: string,
): Promise<{ uri: string; manifest: Manifest }> {
  const uri = join(prefix, MANIFEST_NAME);
  const manifest = await readManifest(store, uri);
  if (!manifest) throw new ManifestError(`no manifest at ${uri}: publish a model first`);
  return { uri, manifest };
}

/** Makes a published version current (its artifact must still be there and intact). */
export async function promoteModel(
  store: ModelStore,
  prefix: string,
  version: string,
  now = () => new Date(),
) {
  const { uri, manifest } = await requireManifest(store, prefix);
  const target = resolveVersion(manifest, version);
  const artifactUri = entryUri(uri, manifest.history.find((e) => e.version === target)!);
  const bytes = await store.read(artifactUri);
  if (modelVersion(bytes) !== target)
    throw new ManifestError(`${artifactUri} no longer holds version ${target.slice(0, 12)}`);
  decodeModel(bytes, artifactUri);
  const next: Manifest = { ...manifest, current: target, updatedAt: now().toISOString() };
  await writeManifest(store, uri, next);
  return next;
}

/** Makes the version published before the current one current again. */
export async function rollbackModel(store: ModelStore, prefix: string, now = () => new Date()) {
  const { manifest } = await requireManifest(store, prefix);
  const index = manifest.history.findIndex((e) => e.version === manifest.current);
  if (index <= 0) throw new ManifestError('there is no earlier version to roll back to');
  return promoteModel(store, prefix, manifest.history[index - 1].version, now);
}

export async function listModels(store: ModelStore, prefix: string) {
  return (await requireManifest(store, prefix)).manifest;
}
