/** One client event, validated on its own: a batch stores the good ones and names the bad. */
import { z } from "zod";
import { telemetryLimits as L } from "./limits";

const label = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x20-\x7e]+$/, { message: "printable ASCII only" });

export const ClientEvent = z
  .object({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._:-]+$/, { message: "letters, digits and . _ : - only" }),
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[a-z][a-z0-9_.:-]*$/, { message: "lower-case, dotted: `checklist.opened`" }),
    at: z.iso.datetime({ offset: true }),
    screen: label(200).optional(),
    actionId: label(200).optional(),
    receiptId: z
      .string()
      .regex(/^rcpt_[0-9a-f]{64}$/, { message: "a receipt id" })
      .optional(),
    decisionId: z
      .string()
      .regex(/^dec_[0-9a-z]{1,60}$/, { message: "a decision id" })
      .optional(),
    properties: z
      .record(
        z
          .string()
          .max(L.propertyKeyLength)
          .regex(/^[A-Za-z0-9_.-]+$/),
        z.union([z.string().max(L.propertyStringLength), z.number().finite(), z.boolean(), z.null()]),
      )
      .refine((p) => Object.keys(p).length <= L.propertiesPerEvent, {
        message: `at most ${L.propertiesPerEvent} properties`,
      })
      .optional(),
  })
  .strict();

export type ClientEventInput = z.infer<typeof ClientEvent>;

export interface Refusal {
  index: number;
  id: string | null;
  errors: { pointer: string; code: string; message: string }[];
}

/** The event, or why it was refused. */
export function checkEvent(raw: unknown, index: number, now: Date): ClientEventInput | Refusal {
  const id = typeof (raw as { id?: unknown })?.id === "string" ? String((raw as { id: string }).id) : null;
  const size = JSON.stringify(raw ?? null).length;
  if (size > L.bytesPerEvent) {
    return {
      index,
      id,
      errors: [
        { pointer: "", code: "too_large", message: `an event is at most ${L.bytesPerEvent} bytes of JSON` },
      ],
    };
  }
  const parsed = ClientEvent.safeParse(raw);
  if (!parsed.success) {
    return {
      index,
      id,
      errors: parsed.error.issues.map((issue) => ({
        pointer: `/${issue.path.map(String).join("/")}`.replace(/\/$/, ""),
        code: issue.code,
        message: issue.message,
      })),
    };
  }
  const at = new Date(parsed.data.at).getTime();
  if (at < now.getTime() - L.maxAgeMs || at > now.getTime() + L.maxFutureMs) {
    return {
      index,
      id,
      errors: [
        {
          pointer: "/at",
          code: "out_of_range",
          message: "`at` must be within the last 7 days (and at most 5 minutes ahead)",
        },
      ],
    };
  }
  return parsed.data;
}
