"""Jupyter's own kernel conformance suite (jupyter_kernel_test) run against Spindle.

Every test the suite offers gets a real sample, so none is skipped. Run by
test/conformance/conformance.int.test.ts with JUPYTER_PATH pointing at a prefix
where `spindle install --prefix` put the kernelspec:

    JUPYTER_PATH=PREFIX/share/jupyter /usr/bin/python3 -m unittest -v spindle_kernel_test
"""
import unittest

import jupyter_kernel_test

# The suite gives each reply 15 s. The first cell also waits for the executor to load
# TypeScript, which on a busy shared machine can take longer; warm up before the tests.
WARM_UP_TIMEOUT = 120


class SpindleKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "spindle"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kc.execute_interactive("", silent=True, store_history=False, timeout=WARM_UP_TIMEOUT)

    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "console.l", "matches": {"log"}},
    ]

    complete_code_samples = ["1", "let total = 1;", "function twice(n: number) { return 2 * n; }"]
    incomplete_code_samples = ["function twice(n: number) {", "const xs = [1,", "class Account {"]
    invalid_code_samples = ["let = ;", "}", "let x = 1 +* 2"]

    code_page_something = "Math.max?"

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'spin' + 'dle'", "result": "'spindle'"},
        {"code": "[1, 2, 3].map((n) => n * n)", "result": "[ 1, 4, 9 ]"},
    ]

    code_display_data = [
        {"code": "import { display } from 'spindle/display'; display.html('<b>threads</b>')", "mime": "text/html"},
        {"code": "import { display } from 'spindle/display'; display.markdown('**processes**')", "mime": "text/markdown"},
    ]

    # Matches exactly one of the code_execute_result samples.
    code_history_pattern = "6 ? 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "import { clearOutput } from 'spindle/display'; clearOutput()"


if __name__ == "__main__":
    unittest.main()
