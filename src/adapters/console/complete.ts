// Tab completion at the console prompt: command names, subcommands and option values, in readline's completer form.
import type { Answerer } from "../../core/answerer.js";
import type { Completion, OptionSpec } from "../../core/commands/types.js";

/** What readline's completer returns: the candidates, and the text before the cursor that they replace. */
export type CompleterResult = [string[], string];

/**
 * At most this many candidates are listed (bash asks before showing more than 100); a longer list ends with MORE,
 * and is never used to complete a common prefix, which the candidates left out might not share.
 */
export const COMPLETION_LIMIT = 100;
export const MORE = "…";

/** A candidate and where, in the text before the cursor, the text it replaces begins. */
interface Hit {
  from: number;
  text: string;
}

interface Found {
  hits: Hit[];
  /** Where the text being completed begins when there are no hits. */
  from: number;
  truncated: boolean;
}

/**
 * Completes `line` (the text before the cursor) as a shell does through readline: one candidate is completed and
 * followed by a space; several complete their common prefix, and readline lists them on a second Tab.
 */
export function completeLine(answerer: Answerer, line: string): CompleterResult {
  const found = candidates(answerer, line);
  if (found.hits.length === 0) return [[], line.slice(found.from)];
  // Every candidate is put in terms of the longest text any of them replaces, as readline takes one for all.
  const from = Math.min(...found.hits.map((h) => h.from));
  const typed = line.slice(from);
  const texts = [...new Set(found.hits.map((h) => line.slice(from, h.from) + h.text))];
  if (found.truncated) return [[...texts.slice(0, COMPLETION_LIMIT), MORE], typed];
  const [only] = texts;
  if (texts.length === 1 && only !== undefined) return [[`${only} `], typed];
  const prefix = commonPrefix(texts);
  // readline replaces what was typed by the common prefix; when that would lose letters typed ("off" for
  // "Netanyahu's o"), report the prefix as the text completed, which makes readline only list.
  return [texts, fold(prefix).startsWith(fold(typed)) ? typed : prefix];
}

/** As readline computes it, so that reporting it back is sure to make readline leave the line alone. */
function commonPrefix(texts: readonly string[]): string {
  const sorted = [...texts].sort();
  const first = sorted[0] ?? "";
  const last = sorted.at(-1) ?? "";
  let i = 0;
  while (i < first.length && first[i] === last[i]) i += 1;
  return first.slice(0, i);
}

/** Case and accents aside, as the lookups compare names. */
const fold = (text: string): string => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

function candidates(answerer: Answerer, line: string): Found {
  const head = /^\s*(\/*)(\S*)/.exec(line);
  const slashes = head?.[1] ?? "";
  const word = head?.[2] ?? "";
  const afterHead = head ? head[0].length : 0;
  const declarations = answerer.declarations();

  if (afterHead === line.length) {
    // Still typing the command. An empty line offers them with the slash the README and /help write them with.
    const from = line.length - slashes.length - word.length;
    const slash = slashes === "" && word === "" ? "/" : slashes;
    const wanted = word.toLowerCase();
    const hits = declarations
      .map((d) => d.spec.name)
      .filter((name) => name.startsWith(wanted))
      .map((name) => ({ from, text: slash + name }));
    return { hits, from, truncated: false };
  }

  const spec = declarations.find((d) => d.spec.name === word.toLowerCase())?.spec;
  const restStart = afterHead + (/^\s*/.exec(line.slice(afterHead))?.[0].length ?? 0);
  if (spec === undefined) return { hits: [], from: restStart, truncated: false };

  let options: readonly OptionSpec[] = spec.options;
  let subcommand: string | undefined;
  let argsStart = restStart;
  if (spec.subcommands.length > 0) {
    const sub = /^(\S*)(\s*)/.exec(line.slice(restStart));
    const typed = sub?.[1] ?? "";
    if ((sub?.[2] ?? "") === "") {
      const wanted = typed.toLowerCase();
      const hits = spec.subcommands
        .filter((s) => s.name.startsWith(wanted))
        .map((s) => ({ from: restStart, text: s.name }));
      return { hits, from: restStart, truncated: false };
    }
    const chosen = spec.subcommands.find((s) => s.name === typed.toLowerCase());
    if (chosen === undefined) return { hits: [], from: line.length, truncated: false };
    subcommand = chosen.name;
    options = chosen.options;
    argsStart = restStart + (sub?.[0].length ?? 0);
  }

  const ask = (option: OptionSpec, partial: string): Completion[] =>
    answerer.complete({ command: spec.name, subcommand, option: option.name, partial }, COMPLETION_LIMIT + 1);
  const args = line.slice(argsStart);
  // The last option takes the rest of the line (the parser's rule), so a lone option, /who's name, is completed
  // whole, spaces and all, as the reader types it.
  const [lone] = options;
  if (options.length === 1 && lone !== undefined) {
    const found = ask(lone, args);
    return {
      hits: found.slice(0, COMPLETION_LIMIT).map((c) => ({ from: argsStart, text: asTyped(c, (p) => ask(lone, p)) })),
      from: argsStart,
      truncated: found.length > COMPLETION_LIMIT,
    };
  }
  return anyOrder(options, args, argsStart, ask);
}

/**
 * Options given as words in any order (/digest subscribe's time, zone and stories): each option that completes is
 * asked for the longest run of last words it knows ("new yo" for America/New_York), and a candidate that keeps the
 * words before the one being typed (as the stories option does) replaces only the words it changes.
 */
function anyOrder(
  options: readonly OptionSpec[],
  args: string,
  argsStart: number,
  ask: (option: OptionSpec, partial: string) => Completion[],
): Found {
  const words = [...args.matchAll(/[^\s,]+/g)].map((m) => ({ text: m[0], at: m.index }));
  const current = /[^\s,]*$/.exec(args)?.index ?? args.length;
  const before = words.filter((w) => w.at < current);
  const starts = [...before.map((w) => w.at), current];
  // A shorter run no longer shows the option the words before it, so a story already named would come back.
  const named = new Set(before.map((w) => fold(w.text)));
  const perOption: Hit[][] = [];
  let truncated = false;
  for (const option of options) {
    const hits: Hit[] = [];
    for (const start of starts) {
      const found = ask(option, args.slice(start));
      if (found.length === 0) continue;
      truncated ||= found.length > COMPLETION_LIMIT;
      const kept = before.filter((w) => w.at >= start);
      for (const c of found.slice(0, COMPLETION_LIMIT)) {
        const text = asTyped(c, (p) => ask(option, p)).split(" ");
        let same = 0;
        while (same < kept.length && same < text.length - 1 && text[same] === kept[same]?.text) same += 1;
        const replacement = text.slice(same).join(" ");
        if (!named.has(fold(replacement)))
          hits.push({ from: argsStart + (kept[same]?.at ?? current), text: replacement });
      }
      break;
    }
    perOption.push(hits);
  }
  // The option with fewest candidates first, so that a cut list still shows the stories among hundreds of zones.
  const hits = perOption.sort((a, b) => a.length - b.length).flat();
  return { hits, from: argsStart + current, truncated: truncated || hits.length > COMPLETION_LIMIT };
}

/**
 * What the reader would type for a completion: its shown name when asking with that name gives the same value
 * ("Adam Boehler" for adam-boehler), else the value itself (a story's command, not "hostages (headline)").
 */
function asTyped(completion: Completion, ask: (partial: string) => Completion[]): string {
  if (completion.name === completion.value) return completion.value;
  return ask(completion.name)[0]?.value === completion.value ? completion.name : completion.value;
}
