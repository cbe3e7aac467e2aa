#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Shows that scripts/check_layering catches forbidden includes in a small tree."""
import os
import subprocess
import sys
import tempfile

CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_layering")


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def make_tree(root, extra_include=""):
    write(root, "src/common/CMakeLists.txt", "sluice_add_module(common SRCS a.cc THIRD_PARTY fmt::fmt)\n")
    write(root, "src/common/README.md", "common\n")
    write(root, "src/common/a.h", "#pragma once\n#include <fmt/format.h>\n")
    write(root, "src/types/CMakeLists.txt", "sluice_add_module(types SRCS t.cc DEPS common)\n")
    write(root, "src/types/README.md", "types\n")
    write(root, "src/types/t.h", '#pragma once\n#include "common/a.h"\n#include "types/u.h"\n')
    write(root, "src/types/tests/t_test.cc", '#include <gtest/gtest.h>\n#include "types/t.h"\n')
    write(root, "src/formats/json/CMakeLists.txt",
          "sluice_add_module(formats/json SRCS j.cc DEPS types common THIRD_PARTY simdjson::simdjson)\n")
    write(root, "src/formats/json/README.md", "json\n")
    write(root, "src/formats/json/j.cc", '#include <simdjson.h>\n#include "types/t.h"\n')
    write(root, "src/common/b.cc", '#include "common/a.h"\n' + extra_include)


def run(root):
    return subprocess.run([sys.executable, CHECKER, "--root", root], capture_output=True, text=True)


def expect_failure(extra_include, needle):
    with tempfile.TemporaryDirectory() as root:
        make_tree(root, extra_include)
        result = run(root)
        assert result.returncode != 0, f"checker accepted {extra_include!r}"
        assert needle in result.stderr, f"expected {needle!r} in:\n{result.stderr}"


def main():
    with tempfile.TemporaryDirectory() as root:
        make_tree(root)
        result = run(root)
        assert result.returncode == 0, f"clean tree rejected:\n{result.stderr}"
    # common may not include types (a back-edge up the stack).
    expect_failure('#include "types/t.h"\n', "module 'types', which module 'common' does not declare")
    # simdjson belongs to formats/json only.
    expect_failure("#include <simdjson.h>\n", "owned by simdjson::simdjson")
    # gtest only in tests.
    expect_failure("#include <gtest/gtest.h>\n", "outside tests")
    # a module without a README fails.
    with tempfile.TemporaryDirectory() as root:
        make_tree(root)
        os.remove(os.path.join(root, "src/types/README.md"))
        result = run(root)
        assert result.returncode != 0 and "has no README.md" in result.stderr, result.stderr
    # Programs sharing a folder are each judged by their own DEPS (matched by SRCS).
    with tempfile.TemporaryDirectory() as root:
        make_tree(root)
        write(root, "test/fuzz/CMakeLists.txt",
              "sluice_add_program(a_fuzz SRCS a_fuzz.cc DEPS common)\n"
              "sluice_add_program(t_fuzz SRCS t_fuzz.cc DEPS types common)\n")
        write(root, "test/fuzz/a_fuzz.cc", '#include "common/a.h"\n')
        write(root, "test/fuzz/t_fuzz.cc", '#include "types/t.h"\n')
        result = run(root)
        assert result.returncode == 0, f"second program judged by the first's DEPS:\n{result.stderr}"
        write(root, "test/fuzz/a_fuzz.cc", '#include "types/t.h"\n')
        result = run(root)
        assert result.returncode != 0 and "program 'a_fuzz'" in result.stderr, result.stderr
    print("check_layering_test: 7 passed, 0 failed")


if __name__ == "__main__":
    main()
