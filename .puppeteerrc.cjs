// Chromium comes from Debian's `chromium` package (CHROMIUM_PATH); Puppeteer must not download its own.
module.exports = { skipDownload: true };
