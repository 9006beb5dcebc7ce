/**
 * A cheap, linear, iterative estimate of a YAML text's nesting, run before the `yaml`
 * parser: that parser recurses, and on hostile nesting (a megabyte of "[") it spends tens of
 * seconds and can exhaust memory. The estimate follows flow brackets that open a node,
 * block indentation and compact "- - -" items, skipping quoted and block scalars and
 * comments. It errs high by a level or two, so the caller refuses only well past the
 * limit and leaves the exact check to the parsed node tree.
 */

type Quote = '"' | "'" | null;

const isSpace = (ch: string | undefined) => ch === undefined || ch === " " || ch === "\t" || ch === "\r";

/** Index of the closing quote at or after `from`, or -1 if the line ends inside the scalar. */
function closeQuote(line: string, from: number, quote: '"' | "'"): number {
  for (let j = from; j < line.length; j++) {
    const ch = line[j];
    if (quote === '"' && ch === "\\") j++;
    else if (ch === quote) {
      if (quote === "'" && line[j + 1] === "'") j++;
      else return j;
    }
  }
  return -1;
}

/** The largest estimated depth, stopping early once it passes `stopAt`. */
export function estimateYamlDepth(text: string, stopAt: number): number {
  let flow = 0;
  let quote: Quote = null;
  let blockScalarParent = -1;
  const indents: number[] = [];
  let deepest = 0;
  const note = () => {
    deepest = Math.max(deepest, indents.length + flow);
    return deepest > stopAt;
  };

  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(start, end);
    start = end + 1;
    let j = 0;
    if (quote) {
      const close = closeQuote(line, 0, quote);
      if (close < 0) continue;
      quote = null;
      j = close + 1;
    } else {
      while (line[j] === " ") j++;
      if (j >= line.length || line[j] === "#" || line.trim() === "") continue;
      if (blockScalarParent >= 0 && j > blockScalarParent) continue;
      blockScalarParent = -1;
      if (flow === 0) {
        if (line.startsWith("---") || line.startsWith("...")) indents.length = 0;
        while (indents.length > 0 && (indents.at(-1) ?? 0) >= j) indents.pop();
        indents.push(j);
      }
    }
    const indent = j;
    let nodeStart = j === indent;
    for (; j < line.length; j++) {
      const ch = line[j] ?? "";
      if (isSpace(ch)) continue;
      if (ch === "#" && isSpace(line[j - 1])) break;
      if (nodeStart && (ch === "-" || ch === "?") && isSpace(line[j + 1]) && flow === 0) {
        let k = j + 1;
        while (line[k] === " ") k++;
        indents.push(k);
        if (note()) return deepest;
        continue;
      }
      if (nodeStart && (ch === "[" || ch === "{")) {
        flow++;
        if (note()) return deepest;
        continue;
      }
      if (nodeStart && (ch === '"' || ch === "'")) {
        const close = closeQuote(line, j + 1, ch);
        if (close < 0) {
          quote = ch;
          break;
        }
        j = close;
        nodeStart = false;
        continue;
      }
      if (nodeStart && (ch === "|" || ch === ">") && flow === 0) {
        blockScalarParent = indent;
        break;
      }
      if (nodeStart && (ch === "&" || ch === "!")) {
        while (j + 1 < line.length && !isSpace(line[j + 1])) j++;
        continue;
      }
      if (flow > 0 && (ch === "]" || ch === "}")) {
        flow--;
        nodeStart = false;
      } else if (flow > 0 && (ch === "," || ch === "[" || ch === "{")) {
        if (ch !== ",") flow++;
        nodeStart = true;
        if (note()) return deepest;
      } else if (ch === ":" && (isSpace(line[j + 1]) || (flow > 0 && ",[]{}".includes(line[j + 1] ?? "")))) {
        nodeStart = true;
      } else {
        nodeStart = false;
      }
    }
    if (note()) return deepest;
  }
  return deepest;
}
