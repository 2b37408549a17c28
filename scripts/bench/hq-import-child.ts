import { HqContext } from '../../electron/hq/context';
import { importBatch } from '../../electron/hq/importer';

// The hq bench's memory figure: one batch imported in a process of its own (nothing else in it
// holds the rows). It reports the RSS sampled every 10 ms during the import, and the kernel's
// high-water mark before and after (the one before includes loading the program).
const { home, pg, file } = JSON.parse(process.argv[2]!) as { home: string; pg: string; file: string };
const hq = await HqContext.open({ home, pg });
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const rssBeforeMb = mb(process.memoryUsage().rss);
const maxRssBeforeMb = Math.round(process.resourceUsage().maxRSS / 1024);
let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const cpu0 = process.cpuUsage();
const started = performance.now();
const r = await importBatch(hq, file, 'cli');
const ms = Math.round(performance.now() - started);
const cpu = process.cpuUsage(cpu0);
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
await hq.close();
process.stdout.write(JSON.stringify({ outcome: r.outcome, rows: r.rows, ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), rssBeforeMb, peakRssMb: mb(peak), maxRssBeforeMb, maxRssAfterMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
