/**
 * Type-checks and compiles cells with one long-lived TypeScript language
 * service, so only the cell's own file (and the declarations of earlier cells)
 * change between cells and the library files are parsed once.
 */
import path from "node:path";
import ts from "typescript";
import { earlierPrefix, prepareCellSource, type CellSource } from "./cell-source";
import { DeclarationTable } from "./declarations";
import { DiskFiles } from "./disk-files";
import { lastValueTransformer } from "./last-value";
import { cellCompilerOptions, IGNORED_DIAGNOSTICS, spindleModules } from "./options";

/** A compile error located in the user's cell. */
export interface CellDiagnostic {
  line: number; // 1-based
  column: number; // 1-based
  code: number;
  message: string;
  sourceLine: string;
}

/** A cell ready to run. */
export interface CompiledCell {
  js: string;
  sourceMap: string;
  dts: string;
  source: CellSource;
}

/** The outcome of compiling a cell. */
export type CompileResult = { ok: true; cell: CompiledCell } | { ok: false; diagnostics: CellDiagnostic[] };

/** "Cannot assign to 'x' because it is an import." */
const ASSIGN_TO_IMPORT = 2632;
/** "Cannot find module ..." in its forms. */
const MODULE_NOT_FOUND = new Set([2307, 2792, 7016]);

/**
 * Parsed library files (lib.*.d.ts, @types/node), shared by every compiler in
 * the process. The executor's start-up snapshot is taken with it filled, so a
 * fresh executor does not parse them again.
 */
const documentRegistry = ts.createDocumentRegistry();
/** The texts of those files, read once per process (and kept in the snapshot). */
const diskFiles = new DiskFiles();
/** Whether a program reads only files that cannot change while the kernel runs (see `#same`). */
const fixedPrograms = new WeakMap<ts.Program, boolean>();
/**
 * Module and type-reference resolutions, shared by every compiler in the process like the parsed
 * files: resolving the imports inside @types/node took ~55 ms of a new compiler's first program
 * (stat calls up the folders), and they resolve from those files' own folders, whatever the
 * notebook's. Taken into the snapshot filled by its warm-up. All compilers use the same options.
 */
interface Resolutions {
  modules: ts.ModuleResolutionCache;
  types: ts.TypeReferenceDirectiveResolutionCache;
  clear(): void;
}
let sharedResolutions: Resolutions | undefined;
function resolutionsFor(options: ts.CompilerOptions): Resolutions {
  if (sharedResolutions) return sharedResolutions;
  const root = path.parse(process.cwd()).root;
  const canonical = (f: string): string => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase());
  const modules = ts.createModuleResolutionCache(root, canonical, options);
  const types = ts.createTypeReferenceDirectiveResolutionCache(
    root,
    canonical,
    options,
    modules.getPackageJsonInfoCache(),
  );
  sharedResolutions = {
    modules,
    types,
    clear: () => {
      modules.clear();
      types.clear();
    },
  };
  return sharedResolutions;
}

interface VirtualFile {
  text: string;
  version: number;
}

/** Compiles cells against the declarations of all earlier cells. */
export class CellCompiler {
  readonly declarations = new DeclarationTable();
  readonly modules = spindleModules();
  readonly #files = new Map<string, VirtualFile>();
  readonly #service: ts.LanguageService;
  readonly #cellFile: string;
  readonly #cellsFile: string;
  readonly #completeFile: string;
  #declVersion = -1;
  readonly #resolutions: Resolutions;
  /**
   * The last successful emit and the program it came from. The service hands
   * back the very same program while no file it depends on changed (the cell,
   * earlier declarations, files on disk), and then the emit cannot differ: a
   * cell run again unchanged skips emitting, which is most of its cost. Held
   * weakly, so a program the service has replaced is not kept alive here.
   */
  #lastEmit:
    | { program: WeakRef<ts.Program>; sf: WeakRef<ts.SourceFile>; js: string; sourceMap: string; dts: string }
    | undefined;

  /**
   * The last compiled cell, for running it again unchanged without even asking the service: valid while the
   * declarations and installed packages stay as they were, and only when its program reads no file of the
   * notebook's own on disk (such a file may have changed; the service's check then decides).
   */
  #same: { code: string; declVersion: number; generation: number; cell: CompiledCell } | undefined;
  #generation = 0;

  /** Creates a compiler whose cells resolve imports as if they lived in `cwd`. */
  constructor(readonly cwd: string) {
    // The virtual files sit in the notebook's directory, where the cell's code
    // runs, so relative imports resolve the same for the checker and at run time.
    this.#cellFile = path.join(cwd, "__spindle_cell__.ts");
    this.#cellsFile = path.join(cwd, "__cells__.d.ts");
    this.#completeFile = path.join(cwd, "__spindle_complete__.ts");
    for (const f of [this.#cellFile, this.#cellsFile, this.#completeFile])
      this.#files.set(f, { text: "export {};\n", version: 0 });
    const options = cellCompilerOptions(this.modules);
    const files = this.#files;
    // Emptied when a cell cannot find a module (the user may have installed it since).
    const resolutions = resolutionsFor(options);
    this.#resolutions = resolutions;
    // Without its own resolvers a host gets fresh resolution caches with every program; these
    // resolve through the shared ones (getModuleResolutionCache: the service reads it as well).
    const resolveModuleNameLiterals: ts.LanguageServiceHost["resolveModuleNameLiterals"] = (
      literals,
      containingFile,
      redirected,
      opts,
      containingSourceFile,
    ) =>
      literals.map((literal) =>
        ts.resolveModuleName(
          literal.text,
          containingFile,
          opts,
          host,
          resolutions.modules,
          redirected,
          ts.getModeForUsageLocation(containingSourceFile, literal, opts),
        ),
      );
    const resolveTypeReferenceDirectiveReferences: ts.LanguageServiceHost["resolveTypeReferenceDirectiveReferences"] = (
      references,
      containingFile,
      redirected,
      opts,
    ) =>
      references.map((ref) =>
        ts.resolveTypeReferenceDirective(
          typeof ref === "string" ? ref : ref.fileName,
          containingFile,
          opts,
          host,
          redirected,
          resolutions.types,
          typeof ref === "string" ? undefined : ref.resolutionMode,
        ),
      );
    const host: ts.LanguageServiceHost & { getModuleResolutionCache(): ts.ModuleResolutionCache } = {
      resolveModuleNameLiterals,
      resolveTypeReferenceDirectiveReferences,
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...files.keys()],
      getScriptVersion: (f) => {
        const v = files.get(f);
        return v ? `cell:${v.version}` : diskFiles.version(f);
      },
      getScriptSnapshot: (f) => {
        const v = files.get(f);
        return v ? ts.ScriptSnapshot.fromString(v.text) : diskFiles.snapshot(f);
      },
      getCurrentDirectory: () => cwd,
      getModuleResolutionCache: () => resolutions.modules,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
      readFile: (f) => files.get(f)?.text ?? ts.sys.readFile(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
    };
    this.#service = ts.createLanguageService(host, documentRegistry);
  }

  /** Parses and checks a trivial cell so the first real cell does not pay for loading the libraries. */
  warmUp(): void {
    this.compile("const __spindle_warm_up__: number = 1 + 1;\n__spindle_warm_up__", "warm-up");
    this.#setFile(this.#cellFile, "export {};\n");
  }

  /** Type-checks and compiles one cell; nothing runs here. */
  compile(code: string, _label: string): CompileResult {
    const same = this.#same;
    if (
      same &&
      same.code === code &&
      same.declVersion === this.declarations.version &&
      same.generation === this.#generation
    )
      return { ok: true, cell: same.cell };
    this.#same = undefined;
    const source = prepareCellSource(code, this.declarations.earlier());
    this.#syncDeclarations();
    this.#setFile(this.#cellFile, source.text);
    const program = this.#service.getProgram();
    const sf = program?.getSourceFile(this.#cellFile);
    if (!program || !sf) throw new Error("The TypeScript service lost the cell file; restart the kernel.");
    const last = this.#lastEmit;
    if (last && last.program.deref() === program && last.sf.deref() === sf) {
      return this.#remember(code, program, { js: last.js, sourceMap: last.sourceMap, dts: last.dts, source });
    }
    const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
      .filter((d) => d.category === ts.DiagnosticCategory.Error && !IGNORED_DIAGNOSTICS.has(d.code))
      .flatMap((d) => this.#assignmentToEarlier(d))
      .map((d) => locate(d, source, code));
    if (diagnostics.length > 0) {
      if (diagnostics.some((d) => MODULE_NOT_FOUND.has(d.code))) {
        this.#resolutions.clear();
        this.#setFile(this.#cellFile, source.text, true); // the same cell run again must get a new program
      }
      return { ok: false, diagnostics };
    }
    let js = "";
    let sourceMap = "";
    let dts = "";
    program.emit(
      sf,
      (name, text) => {
        if (name.endsWith(".js")) js = text;
        else if (name.endsWith(".js.map")) sourceMap = text;
        else if (name.endsWith(".d.ts")) dts = text;
      },
      undefined,
      false,
      { before: [lastValueTransformer(source.userEnd)] },
    );
    this.#lastEmit = { program: new WeakRef(program), sf: new WeakRef(sf), js, sourceMap, dts };
    return this.#remember(code, program, { js, sourceMap, dts, source });
  }

  #remember(code: string, program: ts.Program, cell: CompiledCell): CompileResult {
    let fixed = fixedPrograms.get(program);
    if (fixed === undefined) {
      fixed = program.getSourceFiles().every((f) => this.#files.has(f.fileName) || diskFiles.isFixed(f.fileName));
      fixedPrograms.set(program, fixed);
    }
    this.#same = fixed
      ? { code, declVersion: this.declarations.version, generation: this.#generation, cell }
      : undefined;
    return { ok: true, cell };
  }

  /** Records what a cell declared, so later cells see its names with their types. */
  commit(cell: CompiledCell, label: string): void {
    this.declarations.absorb(cell.source.declared, cell.dts, cell.source.imports, label);
  }

  /**
   * Packages were installed or removed (`%npm`): forget cached module
   * resolutions and the installed files read so far, so the next cell sees
   * the packages as they are now.
   */
  packagesChanged(): void {
    this.#generation++;
    this.#resolutions.clear();
    diskFiles.forgetInstalled(this.cwd);
    this.#setFile(this.#cellFile, this.#files.get(this.#cellFile)?.text ?? "export {};\n", true);
  }

  /** The language service and the virtual file used for completion and inspection of `code`. */
  editorView(code: string): { service: ts.LanguageService; file: string; offset: number } {
    const prefix = earlierPrefix(this.declarations.earlier(), new Set());
    this.#syncDeclarations();
    this.#setFile(this.#completeFile, `${prefix}${code}\nexport {};\n`);
    return { service: this.#service, file: this.#completeFile, offset: prefix.length };
  }

  /**
   * Earlier cells' names reach a cell as imports, which TypeScript forbids
   * assigning to. A `let` or `var` of an earlier cell may be assigned (the
   * emitted code writes the shared store); anything else gets a message that
   * says why not.
   */
  #assignmentToEarlier(d: ts.Diagnostic): ts.Diagnostic[] {
    if (d.code !== ASSIGN_TO_IMPORT) return [d];
    const name = /'([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, "\n"))?.[1];
    const kind = name === undefined ? undefined : this.declarations.kindOf(name);
    if (kind === "let" || kind === "var") return [];
    if (name === undefined || kind === undefined) return [d];
    const where = this.declarations.whereIs(name) ?? "an earlier cell";
    const what = kind === "const" ? "a constant" : kind === "import" ? "an import" : `a ${kind}`;
    const fix =
      kind === "const"
        ? " Declare it with let to change it later, or declare it again with const."
        : " Declare it again instead.";
    return [{ ...d, messageText: `Cannot assign to '${name}' because it is ${what} (declared in ${where}).${fix}` }];
  }

  #syncDeclarations(): void {
    if (this.#declVersion === this.declarations.version) return;
    this.#declVersion = this.declarations.version;
    this.#setFile(this.#cellsFile, this.declarations.text());
  }

  #setFile(file: string, text: string, evenIfSame = false): void {
    const v = this.#files.get(file);
    if (v && v.text === text && !evenIfSame) return;
    this.#files.set(file, { text, version: (v?.version ?? 0) + 1 });
  }
}

function locate(d: ts.Diagnostic, source: CellSource, code: string): CellDiagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  const offset = d.start === undefined ? 0 : source.toOriginal(d.start);
  const before = code.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  const sourceLine = code.split("\n")[line - 1] ?? "";
  return { line, column, code: d.code, message, sourceLine };
}
