import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import {
  packCall,
  packValue,
  unpackCall,
  unpackValue,
  ShippingError,
  registerRefKind,
  shipRef,
} from "../../../src/concurrency/shipping";
import type { RefData, ShippedCall } from "../../../src/concurrency/shipping";
import { registerNamespace, type DeclarationKind } from "../../../src/runtime/namespaces";

/** Packs for a thread, copies the way postMessage would, and unpacks in this thread. */
function roundTrip(fn: Function | object, args: unknown[] = [], kwargs?: unknown, method?: string): () => unknown {
  const call = packCall(fn, args, kwargs, { for: "thread", method });
  return unpackCall(structuredClone(call));
}

const factor = 3;
const greeting = "hello";
const table = { a: 1, list: [1, 2, 3] };

test("a function's const captures travel as copies", () => {
  const work = (n: number) => `${greeting} ${n * factor} ${table.list.length}`;
  assert.equal(roundTrip(work, [5])(), "hello 15 3");
});

test("the far side works on a copy: later changes on either side stay apart", () => {
  const data = { count: 1 };
  const bump = () => ++data.count;
  const call = structuredClone(packCall(bump, [], undefined, { for: "thread" }));
  data.count = 10;
  const run = unpackCall(call);
  assert.equal(run(), 2);
  assert.equal(data.count, 10);
});

function helperSquare(x: number): number {
  return x * x;
}
function isEven(n: number): boolean {
  return n === 0 ? true : isOdd(n - 1);
}
function isOdd(n: number): boolean {
  return n === 0 ? false : isEven(n - 1);
}
function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

test("functions used by the target travel as source, recursively, with cycles", () => {
  const target = (n: number) => [helperSquare(n), isEven(n), fib(n)];
  assert.deepEqual(roundTrip(target, [10])(), [100, true, 55]);
});

test("a captured let is refused at pack time, naming the variable and the fixes", () => {
  let counter = 0;
  const bump = () => counter + 1;
  counter = 1;
  assert.throws(
    () => packCall(bump, [], undefined, { for: "thread", what: "Thread target 'bump'" }),
    (err: unknown) => {
      assert.ok(err instanceof ShippingError);
      assert.equal(err.code, "ERR_SPINDLE_SHIP_MUTABLE_CAPTURE");
      assert.match(err.message, /'counter'/);
      assert.match(err.message, /shared\(/);
      assert.match(err.message, /args/);
      return true;
    },
  );
});

test("a captured var is refused too", () => {
  var total = 5;
  const read = () => total;
  assert.throws(() => packCall(read, [], undefined, { for: "thread" }), { code: "ERR_SPINDLE_SHIP_MUTABLE_CAPTURE" });
});

test("something that cannot be copied is refused with its path", () => {
  const pending = new Promise(() => undefined);
  const wait = () => pending;
  assert.throws(
    () => packCall(wait, [], undefined, { for: "thread" }),
    (err: unknown) => {
      assert.ok(err instanceof ShippingError);
      assert.equal(err.code, "ERR_SPINDLE_SHIP_UNCLONEABLE");
      assert.match(err.message, /'pending'/);
      assert.match(err.message, /Promise/);
      return true;
    },
  );
  assert.throws(
    () => packCall(() => 1, [{ ok: 1, bad: new WeakMap() }], undefined, { for: "thread" }),
    /args\[0\]\.bad/,
  );
});

test("built-in and bound functions are refused with a way out", () => {
  assert.throws(() => packCall(Math.max, [1, 2], undefined, { for: "thread" }), {
    code: "ERR_SPINDLE_SHIP_NATIVE_FUNCTION",
  });
  const bound = helperSquare.bind(null);
  assert.throws(() => packCall(bound, [2], undefined, { for: "thread" }), { code: "ERR_SPINDLE_SHIP_NATIVE_FUNCTION" });
});

test("modules the target uses are required again on the far side", () => {
  const join = (a: string, b: string) => path.join(a, b);
  const call = packCall(join, ["x", "y"], undefined, { for: "thread" });
  assert.ok(JSON.stringify(call).includes('"k":"mod"'));
  assert.equal(unpackCall(structuredClone(call))(), path.join("x", "y"));
});

class Account {
  constructor(
    public money: number,
    public name: string,
  ) {}
  withdraw(n: number): number {
    this.money -= n * factor;
    return this.money;
  }
}

test("class instances travel as class source plus own fields", () => {
  const acct = new Account(100, "malu");
  const run = roundTrip(acct, [], undefined, "toString") as () => unknown;
  assert.equal(typeof run, "function");
  const viaArg = roundTrip((a: Account) => [a instanceof Object, a.withdraw(10), a.name], [acct]);
  assert.deepEqual(viaArg(), [true, 70, "malu"]);
  assert.equal(acct.money, 100, "the original is untouched");
});

class Job {
  result = 0;
  constructor(public n: number) {}
  run(): void {
    this.result = helperSquare(this.n);
  }
}

test("an instance target calls its method, and the rebuilt instance is reachable", () => {
  const run = roundTrip(new Job(7), [], undefined, "run") as (() => unknown) & { instance?: Job };
  run();
  assert.equal(run.instance?.result, 49);
});

test("names read from a registered cell store are packed by their declared kind", () => {
  const kinds: Record<string, DeclarationKind> = { rate: "const", scale: "function", label: "let", Box: "class" };
  const store: Record<string, unknown> = {
    rate: 2,
    scale: (x: number) => x * 10,
    label: "mutable",
    Box: class Box {
      constructor(public v: number) {}
    },
  };
  registerNamespace(store, { kindOf: (n) => kinds[n], whereIs: (n) => (n in kinds ? "cell [2]" : undefined) });
  const __cells__1 = store as {
    rate: number;
    scale: (x: number) => number;
    label: string;
    Box: new (v: number) => { v: number };
  };
  const ok = (n: number) => new __cells__1.Box(__cells__1.scale(n) * __cells__1.rate).v;
  assert.equal(roundTrip(ok, [4])(), 80);
  const bad = () => __cells__1.label;
  assert.throws(
    () => packCall(bad, [], undefined, { for: "thread" }),
    (err: unknown) => {
      assert.ok(err instanceof ShippingError);
      assert.equal(err.code, "ERR_SPINDLE_SHIP_MUTABLE_CAPTURE");
      assert.match(err.message, /'label'/);
      assert.match(err.message, /cell \[2\]/);
      return true;
    },
  );
});

class Token {
  constructor(readonly id: number) {}
  [shipRef](ctx: { dest: string }): RefData {
    return { kind: "test.Token", module: __filename, data: { id: this.id, dest: ctx.dest } };
  }
}
registerRefKind("test.Token", (data: { id: number; dest: string }) => ({ rebuilt: data.id, dest: data.dest }));

test("by-reference values are packed by their hook and rebuilt by their kind", () => {
  const tok = new Token(42);
  const read = () => tok;
  assert.deepEqual(roundTrip(read)(), { rebuilt: 42, dest: "thread" });
  const data = packValue({ nested: [tok] }, { for: "process" });
  assert.deepEqual(unpackValue(v8.deserialize(v8.serialize(data))), { nested: [{ rebuilt: 42, dest: "process" }] });
});

test("SharedArrayBuffers go to threads but are refused for processes", () => {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  assert.doesNotThrow(() => packCall((a: Int32Array) => a[0], [shared], undefined, { for: "thread" }));
  assert.throws(() => packCall((a: Int32Array) => a[0], [shared], undefined, { for: "process" }), {
    code: "ERR_SPINDLE_SHIP_UNCLONEABLE",
  });
});

test("errors thrown by shipped code point at the original file and line", () => {
  const boom = () => {
    throw new RangeError("boom");
  };
  const call = packCall(boom, [], undefined, { for: "thread" });
  const fnEntry = call.objects[0];
  assert.equal(fnEntry!.t, "fn");
  const origin = fnEntry!.t === "fn" ? fnEntry!.origin : undefined;
  assert.equal(origin?.file, __filename);
  try {
    unpackCall(structuredClone(call))();
    assert.fail("should throw");
  } catch (err) {
    const frame = (err as Error).stack!.split("\n")[1];
    assert.ok(frame!.includes(`${__filename}:${origin!.line + 2}:`), frame);
  }
});

test("a shipped call runs in a real worker thread", async () => {
  const call: ShippedCall = packCall(
    (n: number) => helperSquare(n) + factor + path.basename("/a/b.txt").length,
    [6],
    undefined,
    { for: "thread" },
  );
  const unpackPath = require.resolve("../../../src/concurrency/shipping/unpack");
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const { unpackCall } = require(${JSON.stringify(unpackPath)});
     parentPort.postMessage({ result: unpackCall(workerData)(), tsLoaded: Object.keys(require.cache).some((f) => f.includes("node_modules/typescript")) });`,
    { eval: true, workerData: call },
  );
  try {
    const reply = await new Promise<{ result: number; tsLoaded: boolean }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("worker did not answer in 10 s")), 10_000);
      worker.once("message", (m) => {
        clearTimeout(timer);
        resolve(m as { result: number; tsLoaded: boolean });
      });
      worker.once("error", reject);
    });
    assert.equal(reply.result, 36 + 3 + 5);
    assert.equal(reply.tsLoaded, false, "unpacking must not load the TypeScript compiler");
  } finally {
    await worker.terminate();
  }
});

class Base {
  greet(): string {
    return `base ${factor}`;
  }
}

test("a subclass's superclass travels as itself, whatever expression named it", () => {
  const holder = { Base };
  class Derived extends holder.Base {
    override greet(): string {
      return `derived+${super.greet()}`;
    }
  }
  const run = roundTrip((d: Derived) => d.greet(), [new Derived()]);
  assert.equal(run(), "derived+base 3");
});

class Secretive {
  #hidden = 1;
  peek(): number {
    return this.#hidden;
  }
}

test("instances of classes with #private members are refused with the way out", () => {
  assert.throws(
    () => packCall((s: Secretive) => s.peek(), [new Secretive()], undefined, { for: "thread" }),
    (err: unknown) => {
      assert.ok(err instanceof ShippingError);
      assert.match(err.message, /#private/);
      assert.match(err.message, /_count/);
      return true;
    },
  );
});

test("functions and classes exported by a loaded module travel as references to the export", () => {
  const call = packCall((p: string) => path.basename(p), ["/x/y.txt"], undefined, { for: "thread" });
  const mod = JSON.stringify(call);
  assert.ok(!mod.includes("function basename"), "Node's own function is not shipped as source");
  const viaExport = packValue(unpackCall, { for: "thread" });
  assert.equal(viaExport.value.k, "mod");
  assert.equal(unpackValue(structuredClone(viaExport)), unpackCall, "the same export, required again");
});
