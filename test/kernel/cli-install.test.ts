import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const BIN = resolve(__dirname, "..", "..", "..", "bin", "spindle.js");

function spindle(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
}

function checkSpec(dir: string): void {
  const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"));
  assert.equal(spec.display_name, "TypeScript (Spindle)");
  assert.equal(spec.language, "typescript");
  assert.equal(spec.interrupt_mode, "message");
  assert.deepEqual(spec.argv, [process.execPath, BIN, "kernel", "{connection_file}"]);
  assert.ok(existsSync(spec.argv[1]), "argv points at this checkout's bin/spindle.js");
  for (const [name, size] of [
    ["logo-32x32.png", 32],
    ["logo-64x64.png", 64],
  ] as const) {
    const png = readFileSync(join(dir, name));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name} is a PNG`);
    assert.equal(png.readUInt32BE(16), size, `${name} width`);
    assert.equal(png.readUInt32BE(20), size, `${name} height`);
  }
}

test("install --prefix P writes P/share/jupyter/kernels/spindle and says where", () => {
  const prefix = mkdtempSync(join(tmpdir(), "spindle-install-"));
  try {
    const r = spindle(["install", "--prefix", prefix]);
    assert.equal(r.status, 0, r.stderr);
    const dir = join(prefix, "share", "jupyter", "kernels", "spindle");
    assert.match(r.stdout, new RegExp(`Installed kernelspec spindle in ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    checkSpec(dir);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test("install --user honours JUPYTER_DATA_DIR; --name changes the directory", () => {
  const data = mkdtempSync(join(tmpdir(), "spindle-user-"));
  try {
    const r = spindle(["install", "--user", "--name", "spindle-dev"], { JUPYTER_DATA_DIR: data });
    assert.equal(r.status, 0, r.stderr);
    checkSpec(join(data, "kernels", "spindle-dev"));
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test("install --sys-prefix uses SPINDLE_SYS_PREFIX (else the active venv/conda env, else /usr/local)", () => {
  const prefix = mkdtempSync(join(tmpdir(), "spindle-sys-"));
  try {
    const r = spindle(["install", "--sys-prefix"], { SPINDLE_SYS_PREFIX: prefix });
    assert.equal(r.status, 0, r.stderr);
    checkSpec(join(prefix, "share", "jupyter", "kernels", "spindle"));
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test("usage errors exit 2 with a message saying what to type", () => {
  const cases: [string[], RegExp][] = [
    [["install", "--user", "--prefix", "/tmp/x"], /Choose one of --user, --sys-prefix or --prefix/],
    [["install", "--bogus"], /Unknown option --bogus/],
    [["install", "--prefix"], /--prefix needs a value/],
    [["install", "--name", "bad name"], /may only use letters/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["kernel"], /Usage: spindle kernel <connection_file>/],
    [["run"], /Name at least one notebook/],
    [["run", "x.ipynb", "--timeout", "0"], /--timeout must be a positive number/],
  ];
  for (const [args, re] of cases) {
    const r = spindle(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

test("spindle kernel with a missing connection file fails with a clear message", () => {
  const r = spindle(["kernel", "/nonexistent/kernel-123.json"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Cannot read connection file \/nonexistent\/kernel-123\.json/);
});
