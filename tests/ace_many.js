// DAISY Ace over several EPUBs in one Node process and one Chromium (tests/render/test_ace.py):
// each report written as `ace-cli --outdir` writes it. Starting Node, loading Ace and starting
// Chromium were most of a check of a small book.
// Usage: node ace_many.js NODE_MODULES EPUB OUTDIR [EPUB OUTDIR]...
'use strict';
const path = require('path');

const modules = process.argv[2];
const ace = require(path.join(modules, '@daisy/ace-core'));
const runner = require(path.join(modules, '@daisy/ace-axe-runner-puppeteer'));
const logger = require(path.join(modules, '@daisy/ace-logger'));

// Every check reuses the browser started here, instead of starting and closing its own.
const shared = Object.assign({}, runner, {
  launch: async () => {},
  close: async () => {},
});

async function main() {
  logger.initLogger({ verbose: false, silent: true, fileName: 'ace-many.log' });
  const pairs = process.argv.slice(3);
  await runner.launch();
  try {
    for (let n = 0; n < pairs.length; n += 2) {
      await ace(pairs[n], { cwd: process.cwd(), outdir: pairs[n + 1], jobId: '', silent: true },
                shared);
    }
  } finally {
    await runner.close();
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
