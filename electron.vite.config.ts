// Three builds: the main process, the preload bridge (CommonJS, self-contained, as sandboxed preloads
// must be) and the Svelte renderer (shared with the web build). Output goes to out/{main,preload,renderer}.
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { rendererConfig } from './vite.renderer.config.ts';

export default defineConfig({
  main: {
    build: { rollupOptions: { input: { index: resolve('src-main/index.ts') } } },
  },
  preload: {
    build: { rollupOptions: { input: { index: resolve('src-preload/index.ts') }, output: { format: 'cjs' } } },
  },
  renderer: rendererConfig,
});
