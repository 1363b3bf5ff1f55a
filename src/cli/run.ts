/** `spindle run`: placeholder until the notebook runner lands. */
export async function runCommand(_args: string[]): Promise<number> {
  process.stderr.write("spindle run: not available yet\n");
  return 1;
}
