/** The tenant's request telemetry over a time range, per route: counts, statuses, latency quantiles. */
import type { TenantCtx } from "../context/context";
import { AppError } from "../errors/app-error";
import { type Histogram, merge, quantile, quantileRelativeError } from "./histogram";
import { rollupsBetween } from "./rollups-repo";

export interface RouteStats {
  route: string;
  method: string;
  count: number;
  status: { "2xx": number; "3xx": number; "4xx": number; "5xx": number };
  latencyMs: { mean: number; p50: number | null; p95: number | null; p99: number | null; max: number };
  bytesIn: number;
  bytesOut: number;
  receipts: number;
  lastRequestId: string | null;
  lastReceiptId: string | null;
}

export async function requestStats({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { from: Date; to: Date };
}): Promise<{ from: string; to: string; quantileRelativeError: number; routes: RouteStats[] }> {
  if (input.to.getTime() <= input.from.getTime())
    throw new AppError("bad_request", "`to` must be after `from`.");
  if (input.to.getTime() - input.from.getTime() > 400 * 86_400_000)
    throw new AppError("bad_request", "Ask for at most 400 days at a time.");
  const rows = await rollupsBetween(ctx.db, ctx.tenant.id, input.from, input.to);
  const byRoute = new Map<string, { stats: RouteStats; histogram: Histogram; sum: number }>();
  for (const r of rows) {
    const key = `${r.method} ${r.route}`;
    let entry = byRoute.get(key);
    if (!entry) {
      entry = {
        stats: {
          route: r.route,
          method: r.method,
          count: 0,
          status: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 },
          latencyMs: { mean: 0, p50: null, p95: null, p99: null, max: 0 },
          bytesIn: 0,
          bytesOut: 0,
          receipts: 0,
          lastRequestId: null,
          lastReceiptId: null,
        },
        histogram: {},
        sum: 0,
      };
      byRoute.set(key, entry);
    }
    const s = entry.stats;
    s.count += r.count;
    s.status["2xx"] += r.status2xx;
    s.status["3xx"] += r.status3xx;
    s.status["4xx"] += r.status4xx;
    s.status["5xx"] += r.status5xx;
    s.latencyMs.max = Math.max(s.latencyMs.max, r.latencyMaxMs);
    s.bytesIn += r.bytesIn;
    s.bytesOut += r.bytesOut;
    s.receipts += r.receipts;
    s.lastRequestId = r.lastRequestId ?? s.lastRequestId;
    s.lastReceiptId = r.lastReceiptId ?? s.lastReceiptId;
    entry.sum += r.latencySumMs;
    merge(entry.histogram, r.histogram);
  }
  const routes = [...byRoute.values()].map(({ stats, histogram, sum }) => ({
    ...stats,
    latencyMs: {
      mean: stats.count ? Math.round((sum / stats.count) * 1000) / 1000 : 0,
      p50: quantile(histogram, 0.5),
      p95: quantile(histogram, 0.95),
      p99: quantile(histogram, 0.99),
      max: Math.round(stats.latencyMs.max * 1000) / 1000,
    },
  }));
  routes.sort((a, b) => b.count - a.count || a.route.localeCompare(b.route));
  return { from: input.from.toISOString(), to: input.to.toISOString(), quantileRelativeError, routes };
}
