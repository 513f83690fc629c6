import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/gateway.js';
import { benchToken, httpCaller, openBenchServices } from './support/bench-gateway.js';
import type { BenchResult } from './support/bench-result.js';
import { connectSessions } from './support/connect-sessions.js';
import { openFrameSockets } from './support/frame-sockets.js';
import { percentile, sleep, waitFor } from './support/latency.js';

const settings = {
  sessions: Number(process.env.BENCH_MEDIA_SESSIONS ?? 10),
  images: Number(process.env.BENCH_MEDIA_IMAGES ?? 100),
  imageBytes: Number(process.env.BENCH_MEDIA_IMAGE_BYTES ?? 1_000_000),
  textsPerSecond: Number(process.env.BENCH_MEDIA_TEXT_RATE ?? 50),
  seconds: Number(process.env.BENCH_MEDIA_SECONDS ?? 20),
};

/**
 * Text latency while files arrive: incoming texts at a steady rate through the whole gateway (simulator callback
 * → event store → projections → WebSocket frame), first alone, then while `images` distinct JPEGs of
 * `imageBytes` arrive over the first half of the phase and are downloaded and kept in the background (in one
 * process, the simulator's files injected without HTTP). Reports the texts' p50/p99 in both phases and how long
 * the files took to be kept.
 */
export async function mediaBench(): Promise<BenchResult> {
  const { sessions, images, imageBytes, textsPerSecond, seconds } = settings;
  const services = await openBenchServices();
  const gateway = await startGateway(
    loadConfig({
      ...services.env,
      MEDIA_MAX_BYTES: String(Math.max(imageBytes * 2, 16 * 1024 * 1024)),
      // To compare settings; unset, the gateway's default.
      ...(process.env.MEDIA_DOWNLOAD_CONCURRENCY
        ? { MEDIA_DOWNLOAD_CONCURRENCY: process.env.MEDIA_DOWNLOAD_CONCURRENCY }
        : {}),
    }),
    { subjectRoot: services.subjectRoot },
  );
  const pool = new pg.Pool({ connectionString: services.databaseUrl, max: 2 });
  try {
    const token = benchToken();
    const ids = await connectSessions(httpCaller(gateway.url, token), sessions);
    const simulator = gateway.simulator!;
    const injectedAt = new Map<string, number>();
    let latencies: number[] = [];
    const sockets = await openFrameSockets(gateway.url.replace(/^http/, 'ws'), token, ids, (frame, at) => {
      const sentAt = injectedAt.get(frame.body);
      if (sentAt === undefined) return;
      injectedAt.delete(frame.body);
      latencies.push(at - sentAt);
    });
    let texts = 0;
    const injectText = () => {
      const n = texts++;
      const body = `media bench text ${n}`;
      injectedAt.set(body, performance.now());
      void simulator.incoming(ids[n % sessions]!, { from: `5521${String(n % 500).padStart(8, '0')}`, body });
    };
    // Made before the phases: generating and encoding 100 MB is the load generator's work, not the gateway's, and
    // on the one shared event loop it would count against the texts' latency.
    const imageData = Array.from({ length: images }, () =>
      // A JPEG signature, then bytes of their own: every file is new content, nothing is deduplicated.
      Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), randomBytes(imageBytes - 4)]).toString('base64'),
    );
    let imagesSent = 0;
    const injectImage = () => {
      const n = imagesSent++;
      void simulator.incoming(ids[n % sessions]!, {
        from: `5531${String(n).padStart(8, '0')}`,
        body: '',
        media: { mimetype: 'image/jpeg', data: imageData[n]! },
      });
    };
    const phase = async (withImages: boolean) => {
      latencies = [];
      // How long the (one, shared) event loop was blocked: tells CPU in this process from waits elsewhere.
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      loopDelay.enable();
      const started = performance.now();
      const firstText = texts;
      while (performance.now() - started < seconds * 1000) {
        const elapsed = (performance.now() - started) / 1000;
        while (texts - firstText < Math.round(elapsed * textsPerSecond)) injectText();
        // Every image due by now, not one per turn: on a loaded machine a turn can take longer than the gap
        // between two images, and images never injected would be waited for forever below.
        while (withImages && imagesSent < Math.min(images, Math.ceil((elapsed / (seconds / 2)) * images)))
          injectImage();
        await sleep(5);
      }
      await waitFor('every text frame', () => Promise.resolve(injectedAt.size === 0), 120_000);
      loopDelay.disable();
      const loopP99Ms = Math.round(loopDelay.percentile(99) / 1e5) / 10;
      const loopMaxMs = Math.round(loopDelay.max / 1e5) / 10;
      return {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        count: latencies.length,
        loopP99Ms,
        loopMaxMs,
      };
    };

    const alone = await phase(false);
    console.log(`  texts alone: ${alone.count}, p99 ${alone.p99} ms`);
    const imagesStarted = performance.now();
    const withImages = await phase(true);
    console.log(`  texts with images: ${withImages.count}, p99 ${withImages.p99} ms`);
    await waitFor('every image kept', async () => {
      const { rows } = await pool.query<{ kept: string }>(
        `select count(*) as kept from "Messages" where "Media_Sha256" is not null`,
      );
      return Number(rows[0]!.kept) === images;
    });
    const imagesKeptSeconds = Math.round((performance.now() - imagesStarted) / 100) / 10;
    sockets.close();
    return {
      name: 'media',
      sessions,
      textsPerSecond,
      images,
      imageBytes,
      textP50AloneMs: alone.p50,
      textP99AloneMs: alone.p99,
      textP50WithImagesMs: withImages.p50,
      textP99WithImagesMs: withImages.p99,
      loopDelayP99AloneMs: alone.loopP99Ms,
      loopDelayP99WithImagesMs: withImages.loopP99Ms,
      loopDelayMaxWithImagesMs: withImages.loopMaxMs,
      imagesKeptSeconds,
    };
  } finally {
    await pool.end();
    await gateway.stop();
    await services.dispose();
  }
}
