/** The Cloudflare Queues binding behind the JobQueue port. */
import type { JobMessage } from "../jobs/messages";
import type { JobQueue } from "./ports";

export function createCloudflareQueue(binding: Queue<JobMessage>): JobQueue {
  return {
    send: async (message, options) => {
      await binding.send(message, { contentType: "json", delaySeconds: options?.delaySeconds });
    },
  };
}
