// Build-time variables electron-vite substitutes into the main process (prefix MAIN_VITE_).
interface ImportMetaEnv {
  /** The server a fresh install connects to, e.g. https://chat.example.com; default http://127.0.0.1:8090. */
  readonly MAIN_VITE_PALAVER_SERVER?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
