// How every browser test here launches Debian's Chromium (no browser download): headless,
// as root without a sandbox, and without the background connections this closed network
// refuses. Used by playwright.config.ts and scripts/install-test/probe-frontend.mjs.
module.exports = {
  chromiumLaunchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};
