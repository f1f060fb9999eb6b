const { readFileSync } = await import('node:fs');
const { decodeModel } = await import('./dist/model/artifact.js');
const b = new Uint8Array(readFileSync(process.argv[2]));
const t2 = performance.now();
decodeModel(b);
console.log((performance.now() - t2).toFixed(0));
