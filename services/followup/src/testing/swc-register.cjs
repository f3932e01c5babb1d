/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS require hook */
// Test-only require hook: runs the service's TypeScript in a child process with decorator
// metadata (Nest's constructor injection needs it; tsx/esbuild does not emit it), @cit/* mapped
// to libs/*/src as in jest. Used by the worker-crash test to SIGKILL a real worker process.
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const root = join(__dirname, '..', '..', '..', '..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@cit\/([a-z-]+)$/.exec(request);
  return resolve.call(this, m ? join(root, 'libs', m[1], 'src', 'index.ts') : request, parent, ...rest);
};
Module._extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
