/**
 * Entry point of the `spindle` command. Each command lives in its own module,
 * loaded only when used (so `spindle kernel` starts fast).
 */

/** A command: argv after the command name in, exit code out. */
type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  install: {
    summary: "install [--user | --prefix P | --sys-prefix] [--name N]   write the Jupyter kernelspec",
    load: async () => (await import("./install")).installCommand,
  },
  uninstall: {
    summary: "uninstall [--user | --prefix P | --sys-prefix] [--name N] remove the Jupyter kernelspec",
    load: async () => (await import("./uninstall")).uninstallCommand,
  },
  doctor: {
    summary:
      "doctor [--name N] [--timeout S]                           check the install: kernelspec, Node, TypeScript, quota, a round trip",
    load: async () => (await import("./doctor")).doctorCommand,
  },
  kernel: {
    summary: "kernel <connection_file>                                 run the kernel (Jupyter starts this)",
    load: async () => (await import("./kernel-command")).kernelCommand,
  },
  run: {
    summary: "run NOTEBOOK|DIR... [--out DIR] [--timeout S]           execute notebooks headlessly",
    load: async () => (await import("./run")).runCommand,
  },
  release: {
    summary: "release SOURCE.ipynb... --out DIR                         write the student version of an assignment",
    load: async () => (await import("./release")).releaseCommand,
  },
  validate: {
    summary: "validate STUDENT.ipynb... [--timeout S]                   run a student notebook's visible tests",
    load: async () => (await import("./validate")).validateCommand,
  },
  grade: {
    summary: "grade --source SOURCE.ipynb SUBMISSION.ipynb... --out DIR autograde submissions (--merge to join shards)",
    load: async () => (await import("./grade")).gradeCommand,
  },
};

/** Runs the `spindle` command line; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`spindle: unknown command '${name}'.\n${usage()}`);
    return 2;
  }
  return (await command.load())(args);
}

function usage(): string {
  return `Usage: spindle <command>\n\n${Object.values(commands)
    .map((c) => `  spindle ${c.summary}`)
    .join("\n")}\n`;
}
