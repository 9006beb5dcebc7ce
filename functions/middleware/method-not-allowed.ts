/** Which methods a path would accept, so a wrong method answers 405 with `Allow`, not 404. */
const patternCache = new Map<string, RegExp>();

function toRegExp(path: string): RegExp {
  let re = patternCache.get(path);
  if (!re) {
    const source = path
      .split("/")
      .map((seg) =>
        seg.startsWith(":") ? "[^/]+" : seg === "*" ? ".*" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
      )
      .join("/");
    re = new RegExp(`^${source}$`);
    patternCache.set(path, re);
  }
  return re;
}

export function methodNotAllowed(
  routes: readonly { method: string; path: string }[],
  method: string,
  pathname: string,
): string[] {
  const allowed = new Set<string>();
  for (const route of routes) {
    if (route.method === "ALL" || route.method === method) continue;
    if (toRegExp(route.path).test(pathname)) allowed.add(route.method);
  }
  if (allowed.has("GET")) allowed.add("HEAD");
  return [...allowed].sort();
}
