/** A manifest's file name: a model URI ending in it names a manifest, not an artifact. */
export const MANIFEST_NAME = 'manifest.json';

/** Whether `uri` names a manifest (kept apart so that loading a plain artifact loads no schema). */
export function isManifestUri(uri: string): boolean {
  return uri.endsWith(`/${MANIFEST_NAME}`) || uri === MANIFEST_NAME;
}
