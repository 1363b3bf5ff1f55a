import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConnectionFileError,
  endpoint,
  parseConnectionInfo,
  readConnectionFile,
  writeConnectionFile,
} from "../../src/protocol";

const sample = {
  shell_port: 5001,
  iopub_port: 5002,
  stdin_port: 5003,
  control_port: 5004,
  hb_port: 5005,
  ip: "127.0.0.1",
  key: "k",
  transport: "tcp",
  signature_scheme: "hmac-sha256",
  kernel_name: "spindle",
};

test("tcp endpoints use ip:port; port 0 binds any free port", () => {
  const info = parseConnectionInfo(sample);
  assert.equal(endpoint(info, "shell"), "tcp://127.0.0.1:5001");
  assert.equal(endpoint(info, "hb"), "tcp://127.0.0.1:5005");
  assert.equal(endpoint({ ...info, control_port: 0 }, "control"), "tcp://127.0.0.1:*");
});

test("ipc endpoints are ip-port paths, as jupyter_client names them", () => {
  const info = parseConnectionInfo({ ...sample, transport: "ipc", ip: "/tmp/kernel-abc" });
  assert.equal(endpoint(info, "iopub"), "ipc:///tmp/kernel-abc-5002");
});

test("defaults: tcp, 127.0.0.1, hmac-sha256", () => {
  const { transport: _t, ip: _i, signature_scheme: _s, ...rest } = sample;
  const info = parseConnectionInfo(rest);
  assert.equal(info.transport, "tcp");
  assert.equal(info.ip, "127.0.0.1");
  assert.equal(info.signature_scheme, "hmac-sha256");
});

test("bad files are refused with messages naming the field", () => {
  const bad: [unknown, RegExp][] = [
    [[], /JSON object/],
    [{ ...sample, transport: "udp" }, /transport/],
    [{ ...sample, shell_port: "5001" }, /shell_port/],
    [{ ...sample, hb_port: 70000 }, /hb_port/],
    [{ ...sample, key: 5 }, /key/],
  ];
  for (const [raw, re] of bad) {
    assert.throws(
      () => parseConnectionInfo(raw),
      (err: unknown) =>
        err instanceof ConnectionFileError && err.code === "ERR_SPINDLE_CONNECTION_FILE" && re.test(err.message),
    );
  }
});

test("write then read round-trips, with mode 0600", async () => {
  const dir = await mkdtemp(join(tmpdir(), "spindle-cf-"));
  try {
    const path = join(dir, "kernel.json");
    await writeConnectionFile(path, parseConnectionInfo(sample));
    assert.deepEqual(await readConnectionFile(path), parseConnectionInfo(sample));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    await assert.rejects(readConnectionFile(join(dir, "missing.json")), ConnectionFileError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
