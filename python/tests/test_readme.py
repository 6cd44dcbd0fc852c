"""The README's Python example runs as written."""

import re

from conftest import ROOT


def test_the_readme_python_example_runs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    example = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    scope = {}
    exec(compile(example, "README.md", "exec"), scope)
    assert scope["fit"].label == "logistic (K = 1.41e9)"
    assert scope["band"].model.eq("recommended").all()
    assert scope["band"].conf_upper.max() <= 1.41e9
