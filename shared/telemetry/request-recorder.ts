/**
 * Server request telemetry, off the request path: each request adds itself to an in-memory
 * rollup (tenant, route template, method, minute) and the recorder writes what has gathered in
 * one upsert: on Node on a timer (every second), on Workers under `waitUntil` after the
 * response (the requests an isolate serves meanwhile share the write). A failed write is
 * logged and dropped: telemetry never fails a request.
 */
import type { requestRollups } from "../db/schema";
import type { Logger } from "../logging/logger";
import { addTo, type Histogram } from "./histogram";

export interface RequestSample {
  tenantId: string;
  route: string;
  method: string;
  status: number;
  latencyMs: number;
  bytesIn: number;
  bytesOut: number;
  requestId: string;
  receiptId?: string;
  at: Date;
}

type Row = typeof requestRollups.$inferInsert & { histogram: Histogram };

export class RequestRecorder {
  private rows = new Map<string, Row>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly write: (rows: Row[]) => Promise<void>,
    private readonly logger: Logger,
    private readonly flushAfterMs = 1000,
  ) {}

  record(s: RequestSample): void {
    const minute = new Date(Math.floor(s.at.getTime() / 60_000) * 60_000);
    const key = `${s.tenantId}\u0000${minute.getTime()}\u0000${s.route}\u0000${s.method}`;
    let row = this.rows.get(key);
    if (!row) {
      row = {
        tenantId: s.tenantId,
        minute,
        route: s.route,
        method: s.method,
        count: 0,
        status2xx: 0,
        status3xx: 0,
        status4xx: 0,
        status5xx: 0,
        latencySumMs: 0,
        latencyMaxMs: 0,
        histogram: {},
        bytesIn: 0,
        bytesOut: 0,
        receipts: 0,
        lastRequestId: null,
        lastReceiptId: null,
      };
      this.rows.set(key, row);
    }
    row.count = (row.count ?? 0) + 1;
    const cls = Math.floor(s.status / 100);
    if (cls === 2) row.status2xx = (row.status2xx ?? 0) + 1;
    else if (cls === 3) row.status3xx = (row.status3xx ?? 0) + 1;
    else if (cls === 4) row.status4xx = (row.status4xx ?? 0) + 1;
    else if (cls === 5) row.status5xx = (row.status5xx ?? 0) + 1;
    row.latencySumMs += s.latencyMs;
    row.latencyMaxMs = Math.max(row.latencyMaxMs, s.latencyMs);
    addTo(row.histogram, s.latencyMs);
    row.bytesIn = (row.bytesIn ?? 0) + s.bytesIn;
    row.bytesOut = (row.bytesOut ?? 0) + s.bytesOut;
    row.lastRequestId = s.requestId;
    if (s.receiptId) {
      row.receipts = (row.receipts ?? 0) + 1;
      row.lastReceiptId = s.receiptId;
    }
  }

  /** Node: a write within `flushAfterMs`, on a timer that does not keep the process alive. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushAfterMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Writes everything gathered so far. */
  async flush(): Promise<void> {
    if (this.rows.size === 0) return;
    const rows = [...this.rows.values()];
    this.rows = new Map();
    try {
      await this.write(rows);
    } catch (error) {
      this.logger.warn("request telemetry dropped", { rows: rows.length, error: String(error) });
    }
  }
}
