import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The presets are read from ../scenarios/ and the engine from ../../bindings-js/ (an `npm install` link): the dev
// server may serve files from the whole repository. `base: './'` makes the build work from any folder.
export default defineConfig({
  base: './',
  server: { fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] } },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  preview: { host: '127.0.0.1' },
});
