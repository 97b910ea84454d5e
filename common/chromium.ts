// Debian's Chromium, started as the project starts it everywhere (records' PDFs, the browser
// tests): headless, no sandbox (root), and no background networking, since the network here is
// closed and every attempt would be refused.
export const CHROMIUM_PATH = process.env.DRILLBOOK_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
