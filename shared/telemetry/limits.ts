/** What one `POST /v1/telemetry/events` batch may hold. */
export const telemetryLimits = {
  eventsPerBatch: 500,
  /** The event's JSON, serialised. */
  bytesPerEvent: 4096,
  propertiesPerEvent: 20,
  propertyKeyLength: 64,
  propertyStringLength: 256,
  /** How far from the server's clock an event's `at` may be. */
  maxAgeMs: 7 * 24 * 3600 * 1000,
  maxFutureMs: 5 * 60 * 1000,
} as const;
