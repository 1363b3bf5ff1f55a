/**
 * The object a rewritten magic line calls (`require("spindle:magics")` in the
 * cell, see lines.ts), and the session's hook: rewrite before compiling,
 * payloads (`%load`, `%name?`) into the execute_reply.
 */
import { currentCell, writeStream, type CellContext } from "../../../runtime/cell-context";
import { MagicError } from "../../../timing/magics";
import type { CellCompiler, CompileResult } from "../compile/compiler";
import { cd, env, load, writefile } from "./files";
import { allHelpText, helpText, lsmagicText } from "./help";
import { applyCaptures, rewriteMagicLines, type RewrittenCell } from "./lines";
import { namesOf, reset, who, whos } from "./names";
import { npmMagic } from "./npm";
import { exitNote, outputLines, runCommand } from "./shell";

/** What the magics need from the executor session. */
export interface MagicSession {
  /** The notebook's folder: imports resolve from it and `%npm` installs into it. */
  readonly folder: string;
  readonly compiler: CellCompiler;
  /** Every top-level name of every cell. */
  readonly store: Record<string, unknown>;
}

/** Runs magics for the cells of one executor session. */
export class CellMagics {
  readonly #session: MagicSession;
  readonly #payloads = new WeakMap<CellContext, unknown[]>();
  #previousDir: string | undefined;

  /** Creates the magics of a session. */
  constructor(session: MagicSession) {
    this.#session = session;
  }

  /**
   * Rewrites a cell's magic and shell lines into calls of this host (before
   * the timing magics are planned: they would refuse magics they do not know).
   */
  rewrite(code: string): RewrittenCell {
    return rewriteMagicLines(code);
  }

  /**
   * Compiles a rewritten cell: its `const x = !cmd` lines become captures
   * where the cell does not type-check as plain TypeScript.
   */
  compile(code: string, rewritten: RewrittenCell, compile: (code: string) => CompileResult): CompileResult {
    return applyCaptures(code, rewritten.candidates, compile);
  }

  /** The payloads (`set_next_input`, `page`) a cell's magics left, for its execute_reply. */
  payloadOf(cell: CellContext): unknown[] {
    return this.#payloads.get(cell) ?? [];
  }

  /** `!cmd` (returns nothing) and `const x = !cmd` (returns the output lines). */
  async shell(command: string, capture: boolean): Promise<string[] | undefined> {
    if (command === "") throw new MagicError('"!" needs a command after it, e.g. "!ls -l".');
    const exit = await runCommand("/bin/sh", ["-c", command], { cwd: process.cwd(), capture });
    const note = exitNote(command, exit);
    if (note) writeStream("stderr", note);
    return capture ? outputLines(exit.stdout) : undefined;
  }

  /** A line magic `%name args`; resolves with its value (shown when it is the cell's last line). */
  async line(name: string, args: string): Promise<unknown> {
    switch (name) {
      case "npm":
        return npmMagic(args, this.#session.folder, (removed) => {
          this.#session.compiler.packagesChanged();
          const dropped = this.#session.compiler.declarations.dropImportsOf(removed);
          if (dropped.length > 0) writeStream("stdout", `Later cells no longer import ${dropped.join(", ")}.\n`);
        });
      case "env":
        return env(args);
      case "cd": {
        const moved = cd(args, this.#previousDir);
        this.#previousDir = moved.previous;
        return undefined;
      }
      case "pwd":
        this.#noArgs(name, args);
        return process.cwd();
      case "who":
        return void who(namesOf(this.#session.compiler.declarations, this.#session.store), args.trim());
      case "whos":
        this.#noArgs(name, args);
        return whos(namesOf(this.#session.compiler.declarations, this.#session.store));
      case "reset":
        return reset(args, this.#session.compiler.declarations, this.#session.store, (prompt) =>
          this.#cell().sink.input(prompt, false),
        );
      case "load":
        this.#payload({ ...load(args) });
        return undefined;
      case "lsmagic":
        this.#noArgs(name, args);
        writeStream("stdout", lsmagicText());
        return undefined;
      case "magic":
        writeStream("stdout", allHelpText());
        return undefined;
      default:
        throw new MagicError(`Unknown magic %${name}; %lsmagic lists them.`);
    }
  }

  /** `%%writefile [-a] PATH` with the cell's body. */
  writefile(args: string, body: string): void {
    writefile(args, body);
  }

  /** `%name?`: the magic's help as a page payload, as IPython shows `name?`. */
  help(magic: string): void {
    const text = helpText(magic);
    if (text === undefined) throw new MagicError(`Unknown magic ${magic}; %lsmagic lists them.`);
    this.#payload({ source: "page", data: { "text/plain": text }, start: 0 });
  }

  #noArgs(name: string, args: string): void {
    if (args.trim() !== "") throw new MagicError(`%${name} takes no arguments (got "${args}").`);
  }

  #cell(): CellContext {
    const cell = currentCell();
    if (!cell) throw new MagicError("Magics run only inside a cell.");
    return cell;
  }

  #payload(entry: unknown): void {
    const cell = this.#cell();
    const list = this.#payloads.get(cell) ?? [];
    list.push(entry);
    this.#payloads.set(cell, list);
  }
}
