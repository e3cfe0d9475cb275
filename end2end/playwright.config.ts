import { defineConfig } from '@playwright/test';

// The portal under test: the binary built by `make test`, on a fresh SQLite database, sending
// its mail to the local mailbox (mailbox.mjs).
const server = process.env.SERVER_BIN ?? '../target/debug/server';
const siteRoot = process.env.SITE_ROOT ?? '../target/site';
const db = process.env.E2E_DB ?? '/tmp/portal-e2e.sqlite3';
export const BASE_URL = 'http://127.0.0.1:3100';
export const MAILBOX_URL = 'http://127.0.0.1:2580';

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: BASE_URL,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
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
    headless: true,
    viewport: { width: 390, height: 844 },
    locale: 'vi-VN',
  },
  projects: [
    { name: 'javascript', use: { javaScriptEnabled: true } },
    // Tests tagged @js exercise the islands, which need JavaScript.
    { name: 'no-javascript', use: { javaScriptEnabled: false }, grepInvert: /@js/ },
  ],
  webServer: [
    {
      command: 'node mailbox.mjs',
      url: `${MAILBOX_URL}/`,
      reuseExistingServer: false,
    },
    {
      // No demo complaints: the tests file their own and expect them first in the inbox.
      command: `rm -f ${db} ${db}-wal ${db}-shm && ${server} seed --people 300 --seed 7 --no-complaints && exec ${server} serve`,
      url: `${BASE_URL}/`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        DATABASE_URL: `sqlite:${db}`,
        LISTEN_ADDR: '127.0.0.1:3100',
        SMTP_URL: 'smtp://127.0.0.1:2525',
        SITE_ROOT: siteRoot,
        RUST_LOG: 'warn',
      },
    },
  ],
});
