import { HqContext } from '../../electron/hq/context';
import { importBatch } from '../../electron/hq/importer';

// The hq bench's memory figure: one batch imported in a process of its own, which reports its
// peak RSS (the kernel's high-water mark, not a sample) — nothing else in it holds the rows.
const { home, pg, file } = JSON.parse(process.argv[2]!) as { home: string; pg: string; file: string };
const hq = await HqContext.open({ home, pg });
const rssBeforeMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
const started = performance.now();
const r = await importBatch(hq, file, 'cli');
const ms = Math.round(performance.now() - started);
await hq.close();
process.stdout.write(JSON.stringify({ outcome: r.outcome, rows: r.rows, ms, rssBeforeMb, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
