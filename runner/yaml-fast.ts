import { constructFromEvents, CORE_SCHEMA, EVENT_ID, parseEvents, type Event } from "js-yaml";

/**
 * The fast path for reading a dataset file. The `yaml` package keeps a full document with every
 * node's source range, which is what a problem message needs, but it costs ~0.7 ms per example
 * (7 s for 10,000). js-yaml reads the same YAML 1.2 core data about twenty times faster.
 *
 * The fast path only answers for plain data: no tags, no directives, no alias that could expand
 * (see plainData), nothing js-yaml rejects. Anything else returns null, and the caller reads the file the slow,
 * located way, so every problem still points at file:line:col exactly as before. The positions
 * it does give (where each example starts) are the same offsets the slow path reports.
 */
export interface FastYaml {
  value: unknown;
  /** 1-based line and column of each `examples[i]` node, or null when there is no examples list. */
  examplePositions: Array<{ line: number; column: number }> | null;
}

export function parseYamlFast(text: string, maxDepth: number): FastYaml | null {
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { maxDepth });
    if (!plainData(events)) return null;
    documents = constructFromEvents(events, { source: text, schema: CORE_SCHEMA, maxAliases: FAST_ALIASES });
  } catch {
    return null;
  }
  if (documents.length !== 1) return null;
  const offsets = exampleOffsets(events, text);
  return { value: documents[0], examplePositions: offsets ? positionsOf(text, offsets) : null };
}

/** At most this many aliases on the fast path; the located path applies the documented limits. */
const FAST_ALIASES = 1_000;

/**
 * Plain data, or aliases of anchored nodes that hold no alias themselves: js-yaml shares the anchored
 * value, and with no alias inside an anchor nothing can expand beyond the text's own size.
 */
function plainData(events: readonly Event[]): boolean {
  let aliases = 0;
  const open: boolean[] = []; // per open collection: is it (or an ancestor) anchored?
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (event.directives.length) return false;
        break;
      case EVENT_ID.ALIAS:
        if (++aliases > FAST_ALIASES || open.at(-1)) return false;
        break;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
        if (event.tagStart !== -1) return false;
        open.push(event.anchorStart !== -1 || open.at(-1) === true);
        break;
      case EVENT_ID.SCALAR:
        if (event.tagStart !== -1) return false;
        break;
      case EVENT_ID.POP:
        open.pop();
        break;
    }
  }
  return true;
}

/** Start offsets of the items of the top-level mapping's `examples` sequence. */
function exampleOffsets(events: readonly Event[], text: string): number[] | null {
  // events: DOCUMENT, MAPPING (the file), then key/value nodes of the file, POP, POP.
  if (events[1]?.type !== EVENT_ID.MAPPING) return null;
  let i = 2;
  let isKey = true;
  let examplesNext = false;
  while (i < events.length && events[i]!.type !== EVENT_ID.POP) {
    const event = events[i]!;
    if (!isKey && examplesNext) return event.type === EVENT_ID.SEQUENCE ? itemOffsets(events, i) : null;
    examplesNext = isKey && event.type === EVENT_ID.SCALAR && text.slice(event.valueStart, event.valueEnd) === "examples";
    i = skipNode(events, i);
    isKey = !isKey;
  }
  return null;
}

function itemOffsets(events: readonly Event[], seqIndex: number): number[] | null {
  const out: number[] = [];
  let i = seqIndex + 1;
  while (i < events.length && events[i]!.type !== EVENT_ID.POP) {
    const event = events[i]!;
    // An anchored or aliased example: the located path knows where such a node starts.
    if (event.type === EVENT_ID.ALIAS || ("anchorStart" in event && event.anchorStart !== -1)) return null;
    out.push("start" in event ? event.start : "valueStart" in event ? event.valueStart : 0);
    i = skipNode(events, i);
  }
  return out;
}

/** The index just past the node that starts at events[i]. */
function skipNode(events: readonly Event[], i: number): number {
  const type = events[i]!.type;
  if (type !== EVENT_ID.SEQUENCE && type !== EVENT_ID.MAPPING) return i + 1;
  let depth = 0;
  for (; i < events.length; i++) {
    const t = events[i]!.type;
    if (t === EVENT_ID.SEQUENCE || t === EVENT_ID.MAPPING) depth++;
    else if (t === EVENT_ID.POP && --depth === 0) return i + 1;
  }
  return i;
}

function positionsOf(text: string, offsets: readonly number[]): Array<{ line: number; column: number }> {
  // Offsets come in ascending order, so one forward scan of the text finds every line.
  const out: Array<{ line: number; column: number }> = [];
  let line = 1;
  let lineStart = 0;
  let at = 0;
  for (const offset of offsets) {
    for (; at < offset; at++) {
      if (text.charCodeAt(at) === 10) {
        line++;
        lineStart = at + 1;
      }
    }
    out.push({ line, column: offset - lineStart + 1 });
  }
  return out;
}
