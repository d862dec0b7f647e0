// Three builds: the main process, the preload bridge (CommonJS, self-contained, as sandboxed preloads
// must be) and the Svelte renderer. Output goes to out/{main,preload,renderer}.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: { rollupOptions: { input: { index: resolve('src-main/index.ts') } } },
  },
  preload: {
    build: { rollupOptions: { input: { index: resolve('src-preload/index.ts') }, output: { format: 'cjs' } } },
  },
  renderer: {
    root: resolve('src-renderer'),
    build: { rollupOptions: { input: { index: resolve('src-renderer/index.html') } } },
    plugins: [svelte()],
  },
});
