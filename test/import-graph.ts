// The real imports of TypeScript files, read with the TypeScript compiler's parser, for the layering and project-layout tests.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * How a file refers to another module.
 * - "runtime": loaded when the file runs: `import`/`export … from` that the compiler keeps (with verbatimModuleSyntax,
 *   `import { type A } from "x"` is kept as `import {} from "x"`, so it loads "x"), `import x = require()`, `import()`,
 *   `require()` and `createRequire(…)(…)`.
 * - "type": erased from the JavaScript: `import type`, `export type … from`, `import type x = require()`, and `import("x")` in a type.
 */
export type ImportKind = "runtime" | "type";

export interface ImportRef {
  /** The file that imports, relative to the project root with "/" separators. */
  readonly from: string;
  /** The module specifier as written, or undefined when it is not a string literal (a computed `import(name)`). */
  readonly specifier: string | undefined;
  readonly kind: ImportKind;
  /** 1-based line of the import in `from`. */
  readonly line: number;
  /** For a relative specifier: the file it resolves to, relative to the project root; undefined if none exists. */
  readonly target: string | undefined;
}

/** Every .ts file under `dir` (absolute), sorted, as project-relative paths with "/" separators. */
export function typeScriptFiles(root: string, dir: string): string[] {
  const walk = (abs: string): string[] =>
    readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(abs, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.name.endsWith(".ts") ? [full] : [];
    });
  return walk(path.join(root, dir))
    .map((file) => toProjectPath(root, file))
    .sort();
}

export function toProjectPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}

/** True if project path `file` is `dir` or inside it, segment by segment: "src/core-x/a.ts" is not inside "src/core". */
export function isInside(file: string | undefined, dir: string): boolean {
  return file !== undefined && (file === dir || file.startsWith(`${dir}/`));
}

/** The package a bare specifier names: "@slack/bolt/x" → "@slack/bolt", "zod/v4" → "zod". */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

export function isRelative(specifier: string): boolean {
  return specifier === "." || specifier === ".." || specifier.startsWith("./") || specifier.startsWith("../");
}

const SOURCE_FOR_OUTPUT: Record<string, readonly string[]> = {
  ".js": [".ts", ".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

/** The file a relative specifier in project file `from` loads, as NodeNext resolution of the sources sees it ("./x.js" → "x.ts"). */
export function resolveRelative(root: string, from: string, specifier: string): string | undefined {
  const base = path.resolve(root, path.dirname(from), specifier);
  const ext = path.extname(base);
  const stem = base.slice(0, base.length - ext.length);
  const candidates = [
    ...(SOURCE_FOR_OUTPUT[ext] ?? []).map((sourceExt) => stem + sourceExt),
    base,
    `${base}.ts`,
    path.join(base, "index.ts"),
  ];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  return found === undefined ? undefined : toProjectPath(root, found);
}

const parsed = new Map<string, { text: string; source: ts.SourceFile }>();

/** Project file `file` parsed as TypeScript (syntax only, no type checking), reparsed only if its text changed. */
function parse(root: string, file: string): ts.SourceFile {
  const absolute = path.join(root, file);
  const text = readFileSync(absolute, "utf8");
  const cached = parsed.get(absolute);
  if (cached?.text === text) return cached.source;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  parsed.set(absolute, { text, source });
  return source;
}

function stringLiteralText(node: ts.Node | undefined): string | undefined {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    ? node.text
    : undefined;
}

/** Whether the compiler keeps an import declaration in the JavaScript (verbatimModuleSyntax: only `import type` is erased). */
function importDeclarationKind(node: ts.ImportDeclaration): ImportKind {
  return node.importClause?.isTypeOnly === true ? "type" : "runtime";
}

function exportDeclarationKind(node: ts.ExportDeclaration): ImportKind {
  return node.isTypeOnly ? "type" : "runtime";
}

/** The names a file binds to `createRequire(…)` results (`const require = createRequire(import.meta.url)`). */
function createRequireBindings(source: ts.SourceFile): Set<string> {
  const names = new Set<string>(["require"]);
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer !== undefined &&
      isCreateRequireCall(node.initializer)
    ) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function isCreateRequireCall(node: ts.Expression): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  return (
    (ts.isIdentifier(callee) && callee.text === "createRequire") ||
    (ts.isPropertyAccessExpression(callee) && callee.name.text === "createRequire")
  );
}

/** Every import of project file `file` (relative to `root`), in source order. */
export function importsOf(root: string, file: string): ImportRef[] {
  const source = parse(root, file);
  const requireNames = createRequireBindings(source);
  const found: ImportRef[] = [];
  const add = (node: ts.Node, specifier: string | undefined, kind: ImportKind): void => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    const target =
      specifier !== undefined && isRelative(specifier) ? resolveRelative(root, file, specifier) : undefined;
    found.push({ from: file, specifier, kind, line, target });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node, stringLiteralText(node.moduleSpecifier), importDeclarationKind(node));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      add(node, stringLiteralText(node.moduleSpecifier), exportDeclarationKind(node));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, stringLiteralText(node.moduleReference.expression), node.isTypeOnly ? "type" : "runtime");
    } else if (ts.isImportTypeNode(node)) {
      // `typeof import("./x.js")` or `import("./x.js").Thing` in a type position.
      const argument = node.argument;
      add(node, ts.isLiteralTypeNode(argument) ? stringLiteralText(argument.literal) : undefined, "type");
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = (ts.isIdentifier(callee) && requireNames.has(callee.text)) || isCreateRequireCall(callee);
      if (isDynamicImport || isRequire) add(node, stringLiteralText(node.arguments[0]), "runtime");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The text of every string literal in project file `file` (plain and template pieces), in source order. */
export function stringLiteralsOf(root: string, file: string): string[] {
  const texts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) texts.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(parse(root, file));
  return texts;
}

/** Where project file `file` reads the environment: `process.env`, `process["env"]`, `{ env } = process`, `env` from node:process. */
export function environmentReadsOf(root: string, file: string): number[] {
  const source = parse(root, file);
  const processNames = new Set<string>(["process"]);
  const lines: number[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const namesProcess = (node: ts.Expression): boolean =>
    (ts.isIdentifier(node) && processNames.has(node.text)) ||
    (ts.isPropertyAccessExpression(node) && node.name.text === "process");

  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const specifier = stringLiteralText(statement.moduleSpecifier);
    if (specifier !== "node:process" && specifier !== "process") continue;
    const clause = statement.importClause;
    if (clause?.name) processNames.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) processNames.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements)
        if ((element.propertyName ?? element.name).text === "env") lines.push(lineOf(element));
    }
  }

  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === "env" && namesProcess(node.expression)) {
      lines.push(lineOf(node));
    } else if (
      ts.isElementAccessExpression(node) &&
      stringLiteralText(node.argumentExpression) === "env" &&
      namesProcess(node.expression)
    ) {
      lines.push(lineOf(node));
    } else if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer !== undefined &&
      namesProcess(node.initializer)
    ) {
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (ts.isIdentifier(key) && key.text === "env") lines.push(lineOf(element));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

/**
 * The cycles among the relative imports between files inside `dir`, each as a path a → b → … → a (type-only imports included).
 * Tarjan's algorithm finds the strongly connected components; within each, every edge not yet on a reported cycle
 * u → v is closed by the shortest path v ⇝ u, so each back-dependency to break shows up at least once.
 */
export function importCycles(refs: readonly ImportRef[], dir: string): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const ref of refs) {
    if (!isInside(ref.from, dir) || !isInside(ref.target, dir) || ref.target === undefined) continue;
    const targets = edges.get(ref.from) ?? new Set<string>();
    targets.add(ref.target);
    edges.set(ref.from, targets);
  }
  const next = (node: string): string[] => [...(edges.get(node) ?? [])].sort();

  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const strongConnect = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const to of next(node)) {
      if (!index.has(to)) {
        strongConnect(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.push(member);
        if (member === node) break;
      }
      components.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) strongConnect(node);

  const cycles: string[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const covered = new Set<string>();
    for (const from of component) {
      for (const to of next(from).filter((target) => members.has(target))) {
        if (covered.has(`${from}\n${to}`)) continue;
        const back = shortestPath(to, from, (node) => next(node).filter((target) => members.has(target)));
        const cycle = [from, ...back];
        for (let i = 0; i + 1 < cycle.length; i++) covered.add(`${cycle[i]}\n${cycle[i + 1]}`);
        cycles.push(cycle);
      }
    }
  }
  return cycles;
}

/** The nodes of a shortest path from `start` to `goal` (both included; [start] when they are the same). */
function shortestPath(start: string, goal: string, next: (node: string) => string[]): string[] {
  const previous = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  for (let head = 0; head < queue.length && !previous.has(goal); head++) {
    const node = queue[head] ?? start;
    for (const to of next(node)) {
      if (previous.has(to)) continue;
      previous.set(to, node);
      queue.push(to);
    }
  }
  const nodes: string[] = [];
  for (let node: string | undefined = goal; node !== undefined; node = previous.get(node)) nodes.unshift(node);
  return nodes;
}

/** `from:line` for a failure message. */
export function where(ref: ImportRef): string {
  return `${ref.from}:${ref.line}`;
}

/** An import as a failure-message line: `src/a.ts:3 imports "../b.js" (src/b.ts, type only)`. */
export function describeImport(ref: ImportRef): string {
  const resolved = ref.target !== undefined && ref.target !== ref.specifier ? ` (${ref.target})` : "";
  const kind = ref.kind === "type" ? ", type only" : "";
  return `${where(ref)} imports ${JSON.stringify(ref.specifier ?? "<computed>")}${resolved}${kind}`;
}
