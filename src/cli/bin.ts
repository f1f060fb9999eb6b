#!/usr/bin/env node
import module from 'node:module';

// V8's compile cache (Node >= 22.1): the second and later runs of a command skip compiling the
// modules they load. Set before anything else is imported; a read-only cache folder just disables it.
module.enableCompileCache?.();
const { main } = await import('./main.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
