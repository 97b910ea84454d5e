/// <reference types="astro/client" />

declare module 'virtual:drillbook/manifest' {
  const manifest: import('../protocol/index.ts').Manifest;
  export default manifest;
}
