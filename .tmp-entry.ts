import { createFsStore } from "./shared/platform/store-fs";
export default { fetch: () => new Response(String([createFsStore].length)) };
