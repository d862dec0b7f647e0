/// <reference types="svelte" />
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The server the sign-in screen offers in a browser build; defaults to the page's own origin. */
  readonly RENDERER_VITE_PALAVER_SERVER?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
