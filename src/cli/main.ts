/** Entry point of the `spindle` command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  process.stderr.write(`spindle: unknown command '${command ?? ""}'. Commands: install, kernel, run.\n`);
  return 2;
}
