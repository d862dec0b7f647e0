// The preload: exposes window.palaver and nothing else. Runs sandboxed, so it is bundled to one
// CommonJS file (out/preload/index.cjs) with only 'electron' left as a require.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './api.ts';

contextBridge.exposeInMainWorld(
  'palaver',
  createBridge({
    invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    on: (channel, listener) => {
      ipcRenderer.on(channel, listener);
    },
    removeListener: (channel, listener) => {
      ipcRenderer.removeListener(channel, listener);
    },
  }),
);
