// A fresh process that loads a model and answers one review: what a cold start costs.
// Usage: node bench/cold-process.mjs <model-uri>   (prints nothing; exit code 0 on success)
const { loadModel } = await import('../dist/store/load-model.js');
const { model } = await loadModel(process.argv[2]);
model.predict('A wonderful film with a superb cast.');
process.exit(0);
