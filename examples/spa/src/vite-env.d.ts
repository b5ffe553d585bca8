/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_GRAPHWIRE_CLIENT_ID?: string;
  readonly VITE_GRAPHWIRE_TENANT_ID?: string;
  readonly VITE_GRAPHWIRE_ISSUER?: string;
  readonly VITE_GRAPHWIRE_GRAPH_URL?: string;
  readonly VITE_GRAPHWIRE_SCOPES?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
