import { test } from "node:test";
import assert from "node:assert/strict";
import { setHubLink } from "../../../src/concurrency/multiprocessing/link";
import { Process } from "../../../src/concurrency/multiprocessing/process";
import { rehearse } from "../../../src/concurrency/multiprocessing-child/rehearsal";

test("a spare's rehearsal goes through and tells the parent nothing", () => {
  // This test process plays a child: everything a shared object says to its hub goes through the link.
  const sent: string[] = [];
  setHubLink(
    {
      call: (obj, op) => {
        sent.push(`call ${obj} ${op}`);
        return Promise.resolve(undefined);
      },
      cast: (obj, op) => void sent.push(`cast ${obj} ${op}`),
      create: (obj, kind) => void sent.push(`create ${obj} ${kind}`),
    },
    { name: "Process", kind: "process", parentPid: process.ppid },
  );
  assert.equal(rehearse(), true, "the rehearsal packed and unpacked its call");
  assert.equal(rehearse(), true, "and can run again");
  assert.deepEqual(sent, []);
  // The stand-in Process was named: the numbering of unnamed processes is untouched.
  assert.equal(new Process().name, "Process-1");
});
