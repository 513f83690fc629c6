/**
 * The flags WPPConnect 2.3.3 launches Chromium with (config/puppeteer.config.js, used by controllers/browser.js),
 * so that WhatsApp Web sees the same browser whoever launches it; `--disable-blink-features=AutomationControlled`
 * hides `navigator.webdriver`. Left out on purpose: the flags that accept any TLS certificate, which would let
 * anyone on the network path pose as WhatsApp.
 */
export const wppconnectChromiumArgs = [
  '--log-level=3',
  '--no-default-browser-check',
  '--disable-site-isolation-trials',
  '--no-experiments',
  '--ignore-gpu-blacklist',
  '--disable-gpu',
  '--disable-extensions',
  '--disable-default-apps',
  '--enable-features=NetworkService',
  '--disable-setuid-sandbox',
  '--no-sandbox',
  '--disable-webgl',
  '--disable-infobars',
  '--window-position=0,0',
  '--disable-threaded-animation',
  '--disable-threaded-scrolling',
  '--disable-in-process-stack-traces',
  '--disable-histogram-customizer',
  '--disable-gl-extensions',
  '--disable-composited-antialiasing',
  '--disable-canvas-aa',
  '--disable-3d-apis',
  '--disable-accelerated-2d-canvas',
  '--disable-accelerated-jpeg-decoding',
  '--disable-accelerated-mjpeg-decode',
  '--disable-app-list-dismiss-on-blur',
  '--disable-accelerated-video-decode',
  '--disable-dev-shm-usage',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-blink-features=AutomationControlled',
];

/** WPPConnect's flags this driver leaves out, and why (see above). */
export const omittedWppconnectArgs = [
  '--ignore-certificate-errors',
  '--ignore-certificate-errors-spki-list',
  '--ignore-certifcate-errors',
  '--ignore-certifcate-errors-spki-list',
];

/** The gateway's own: a server runs many sessions and needs nothing in the background. */
const gatewayArgs = [
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--mute-audio',
];

export const chromiumArgs = [...wppconnectChromiumArgs, ...gatewayArgs];
