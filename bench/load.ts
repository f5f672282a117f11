import http from 'node:http';

export interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  sent: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function post(agent: http.Agent, base: URL, d: Delivery): Promise<{ ok: boolean; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path: d.path, method: 'POST', agent, headers: { ...d.headers, 'content-length': Buffer.byteLength(d.body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ok: res.statusCode === 204, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      },
    );
    req.on('error', () => resolve({ ok: false, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end(d.body);
  });
}

function summarize(latencies: number[], failed: number, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { sent: latencies.length, failed, seconds, perSecond: latencies.length / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

/** Closed loop: `concurrency` requests in flight until `total` are done (throughput). */
export async function runClosedLoop(baseUrl: string, next: () => Delivery, total: number, concurrency: number): Promise<LoadResult> {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failed = 0;
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < total) {
      issued += 1;
      const r = await post(agent, base, next());
      latencies.push(r.ms);
      if (!r.ok) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return summarize(latencies, failed, (performance.now() - started) / 1000);
}

/** Open loop: a fixed arrival rate, each request on time whatever the previous ones do (latency). */
export async function runOpenLoop(baseUrl: string, next: () => Delivery, ratePerSecond: number, seconds: number): Promise<LoadResult> {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(ratePerSecond * seconds);
  const latencies: number[] = [];
  let failed = 0;
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      post(agent, base, next()).then((r) => {
        latencies.push(r.ms);
        if (!r.ok) failed += 1;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return summarize(latencies, failed, (performance.now() - started) / 1000);
}
