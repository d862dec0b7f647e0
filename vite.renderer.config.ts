// The renderer's build, shared by electron-vite (the desktop app) and plain Vite (the web build that
// `npm run start:web` and the end-to-end tests serve from PocketBase). Output: out/renderer.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

export const rendererConfig = {
  root: resolve('src-renderer'),
  // Relative asset URLs work from app://palaver/, from a server's root and from a file.
  base: './',
  envPrefix: 'RENDERER_VITE_',
  build: {
    outDir: resolve('out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
  },
  plugins: [svelte({ configFile: resolve('svelte.config.js') })],
} satisfies UserConfig;

export default rendererConfig;
