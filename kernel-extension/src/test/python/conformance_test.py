#!/usr/bin/python3
"""Jupyter's own kernel conformance suite (jupyter_kernel_test) against the installed circuitscope kernel.

usage: /usr/bin/python3 conformance_test.py [kernel-name]

The suite is the Jupyter project's (unchanged, in $CIRCUITSCOPE_SHARED/tools/jupyter_kernel_test, default
../shared/...); it needs jupyter_client and jsonschema (Debian: jupyter-client, python3-jsonschema). Every attribute it
has gets a Java sample below, so every test runs; the only skip is the iopub welcome message (JEP 65), which JJava's
plain PUB socket cannot send. Each test prints ok, FAIL, ERROR or skipped (with the reason); the last line is
"N passed, N failed, N skipped". Without the suite (a user's clone has no ../shared) it says SKIPPED and passes,
except under CI=true.
"""
import os
import sys
import unittest

import shared_fixtures

KERNEL = sys.argv[1] if len(sys.argv) > 1 else "circuitscope"
SUITE = os.path.join(shared_fixtures.root(), "tools", "jupyter_kernel_test")

WELCOME_REASON = ("JJava's iopub channel is a plain ZeroMQ PUB socket; the iopub_welcome message (JEP 65) needs "
                  "an XPUB socket, which jjava-jupyter does not open")


def load_suite():
    if not os.path.isfile(os.path.join(SUITE, "jupyter_kernel_test", "__init__.py")):
        return None
    sys.path.insert(0, SUITE)
    import jupyter_kernel_test
    return jupyter_kernel_test


def main():
    jkt = load_suite()
    if jkt is None:
        return shared_fixtures.absent("jupyter_kernel_test is not in %s" % SUITE)

    class CircuitscopeKernelTests(jkt.KernelTests):
        kernel_name = KERNEL
        language_name = "java"
        file_extension = ".jshell"

        code_hello_world = 'System.out.println("hello, world");'
        code_stderr = 'System.err.println("to stderr");'

        completion_samples = [
            {"text": "Math.ab", "matches": {"abs(", "absExact("}},
            {"text": '"x".toUpperC', "matches": {"toUpperCase("}},
            # magic names, and inside a magic its flags instead of Java
            {"text": "%lsma", "matches": {"lsmagic"}},
            {"text": "%featurevis conv2:3 --st", "matches": {"--steps"}},
        ]

        complete_code_samples = ["1", "int x = 1;", "void f() {\n}", 'System.out.println("hello, world");',
                                 "%lsmagic", "int y = 2;\n%lsmagic"]
        incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int x = (1 +", "class A {\n  void f() {"]
        invalid_code_samples = ["int = 7q;", "1 +* 2;"]

        # Java has no `?` operator at the end of a cell, so `name?` asks for the pager, as in IPython
        code_page_something = "Math.abs?"

        code_generate_error = 'throw new IllegalStateException("boom");'

        code_execute_result = [
            {"code": "1+2+3", "result": "6"},
            {"code": "List.of(1, 4, 9)", "result": "[1, 4, 9]"},
        ]

        code_display_data = [
            {"code": "display(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB));", "mime": "image/png"},
            {"code": 'display(tech.tablesaw.api.Table.create("t", tech.tablesaw.api.IntColumn.create("a", 1)));',
             "mime": "text/html"},
        ]

        code_history_pattern = "1?2*"
        supported_history_operations = ("tail", "range", "search")

        code_inspect_sample = "Math.abs"

        code_clear_output = "clearOutput();"

    class CircuitscopeWelcomeTests(jkt.IopubWelcomeTests):
        kernel_name = KERNEL
        support_iopub_welcome = False

    loader = unittest.TestLoader()
    suite = unittest.TestSuite([loader.loadTestsFromTestCase(CircuitscopeKernelTests),
                                loader.loadTestsFromTestCase(CircuitscopeWelcomeTests)])
    ran = [t.id() for t in iter_tests(suite)]
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)

    # a failed subtest (one sample) fails its test; a skipped subtest alone does not skip a test that ran
    problems = {owner(test).id() for test, _ in result.failures + result.errors}
    skipped = {}
    for test, reason in result.skipped:
        if owner(test) is test:
            skipped[test.id()] = reason
    print()
    for test_id in ran:
        name = test_id.split(".")[-1]
        if test_id in problems:
            print("FAIL %s" % name)
        elif test_id in skipped:
            reason = skipped[test_id]
            if "welcome" in name:
                reason += ": " + WELCOME_REASON
            print("SKIP %s (%s)" % (name, reason))
        else:
            print("PASS %s" % name)
    n_failed = len([t for t in ran if t in problems])
    n_skipped = len([t for t in ran if t in skipped and t not in problems])
    print("%d passed, %d failed, %d skipped" % (len(ran) - n_failed - n_skipped, n_failed, n_skipped))
    return 1 if n_failed else 0


def owner(test):
    return getattr(test, "test_case", test)


def iter_tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from iter_tests(t)
        else:
            yield t


if __name__ == "__main__":
    sys.exit(main())
