import { posix } from 'node:path';
import ts from 'typescript';
import {
  ADAPTER_CLIENT_MODULES,
  ADAPTER_FACTORIES,
  ADAPTER_HOMES,
  CLICKHOUSE_CLIENT_FACTORY,
  CLICKHOUSE_CLIENT_MODULE,
  matchesAny,
  WIRING_FILES,
  type BoundaryRule,
} from './boundary-rules.js';

/** A source file, its path relative to the repository root with `/` separators. */
export interface SourceFile {
  path: string;
  text: string;
}

/** A workspace package: its name, its folder, and the subpaths its package.json exports ('.', './testing', …). */
export interface WorkspacePackage {
  name: string;
  dir: string;
  exports: readonly string[];
}

export interface BoundaryViolation {
  file: string;
  line: number;
  rule: BoundaryRule;
  detail: string;
}

/** Every boundary violation in the given files (exceptions not applied). */
export function findBoundaryViolations(files: readonly SourceFile[], packages: readonly WorkspacePackage[]): BoundaryViolation[] {
  return files.flatMap((file) => violationsIn(file, packages));
}

function violationsIn(file: SourceFile, packages: readonly WorkspacePackage[]): BoundaryViolation[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, scriptKind(file.path));
  const out: BoundaryViolation[] = [];
  const report = (node: ts.Node, rule: BoundaryRule, detail: string) =>
    out.push({ file: file.path, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, rule, detail });
  const wiring = matchesAny(file.path, WIRING_FILES);
  const adapterHome = matchesAny(file.path, ADAPTER_HOMES);
  const owner = packageOf(file.path, packages);

  const visit = (node: ts.Node): void => {
    if (!wiring && readsProcessEnv(node)) report(node, 'process-env', 'reads process.env');
    const specifier = moduleSpecifierOf(node);
    if (specifier !== undefined) {
      if (!wiring && !adapterHome) {
        const choice = adapterChoice(node, specifier);
        if (choice) report(node, 'adapter-choice', choice);
      }
      const reach = internalsReach(file.path, specifier, owner, packages);
      if (reach) report(node, 'package-internals', reach);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function scriptKind(path: string): ts.ScriptKind {
  return path.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
}

const isProcess = (node: ts.Node) => ts.isIdentifier(node) && node.text === 'process';

/** `process.env`, `process['env']`, `const { env } = process`, `import { env } from 'node:process'`. */
function readsProcessEnv(node: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(node)) return isProcess(node.expression) && node.name.text === 'env';
  if (ts.isElementAccessExpression(node)) {
    return isProcess(node.expression) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'env';
  }
  if (ts.isVariableDeclaration(node) && node.initializer && isProcess(node.initializer) && ts.isObjectBindingPattern(node.name)) {
    return node.name.elements.some((e) => (e.propertyName ?? e.name).getText() === 'env');
  }
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && /^(node:)?process$/.test(node.moduleSpecifier.text)) {
    const bindings = node.importClause?.namedBindings;
    return !!bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => (e.propertyName ?? e.name).text === 'env');
  }
  return false;
}

/** The module a node imports or re-exports: static import/export, `import()`, `require()`. */
function moduleSpecifierOf(node: ts.Node): string | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    return node.moduleSpecifier.text;
  }
  if (ts.isCallExpression(node)) {
    const [arg] = node.arguments;
    const callsImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const callsRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
    if ((callsImport || callsRequire) && arg && ts.isStringLiteralLike(arg)) return arg.text;
  }
  return undefined;
}

/** Why importing `specifier` here chooses an adapter, or undefined when it does not. Type-only imports never do. */
function adapterChoice(node: ts.Node, specifier: string): string | undefined {
  if (ts.isImportDeclaration(node)) {
    if (node.importClause?.isTypeOnly) return undefined;
    const named = valueImportNames(node);
    const factories = named.filter((n) => ADAPTER_FACTORIES.has(n));
    if (factories.length) return `builds an adapter itself (${factories.join(', ')})`;
    if (specifier === CLICKHOUSE_CLIENT_MODULE && named.includes(CLICKHOUSE_CLIENT_FACTORY)) return `opens its own ClickHouse client (${CLICKHOUSE_CLIENT_FACTORY})`;
    const hasValueImport = !!node.importClause?.name || !!node.importClause?.namedBindings && (ts.isNamespaceImport(node.importClause.namedBindings) || named.length > 0);
    if (ADAPTER_CLIENT_MODULES.has(specifier) && hasValueImport) return `opens its own connection (imports ${specifier})`;
    return undefined;
  }
  if (ts.isCallExpression(node) && ADAPTER_CLIENT_MODULES.has(specifier)) return `opens its own connection (loads ${specifier})`;
  return undefined;
}

function valueImportNames(node: ts.ImportDeclaration): string[] {
  const bindings = node.importClause?.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return [];
  return bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
}

/** The package whose folder holds `path` (the deepest one), if any. */
function packageOf(path: string, packages: readonly WorkspacePackage[]): WorkspacePackage | undefined {
  return packages.filter((p) => path.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
}

/**
 * Why importing `specifier` from `path` reaches into another package's internals, or undefined when it does not:
 * another package is reached only through `@spoor/<pkg>` or a subpath its package.json exports.
 */
function internalsReach(path: string, specifier: string, owner: WorkspacePackage | undefined, packages: readonly WorkspacePackage[]): string | undefined {
  if (specifier.startsWith('.')) {
    const target = posix.normalize(posix.join(posix.dirname(path), specifier));
    const reached = packageOf(target, packages);
    if (reached && reached !== owner) return `imports ${specifier}, inside ${reached.name}; use '${reached.name}' (or one of its exports)`;
    return undefined;
  }
  const pkg = packages.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
  if (!pkg || pkg === owner) return undefined;
  const subpath = specifier === pkg.name ? '.' : `.${specifier.slice(pkg.name.length)}`;
  if (pkg.exports.includes(subpath)) return undefined;
  return `imports ${specifier}, which ${pkg.name} does not export (exports: ${pkg.exports.join(', ')})`;
}
