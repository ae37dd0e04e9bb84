"""docs/extending.md: every python block runs, in order, and its assertions hold."""

import re
import sys
import types
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "extending.md"


def test_every_code_block_of_the_extending_guide_runs():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 5
    # a real module, so that the classes it defines pickle (the battery checks that)
    module = types.ModuleType("workbench_extending_doc")
    sys.modules[module.__name__] = module
    try:
        for i, code in enumerate(blocks):
            exec(compile(code, f"{DOC}:block{i}", "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]
    D = module.D
    assert {c.shape for c in D} == {"series-sum", "asymptotic"}
