"""The content is read with libyaml's loader when PyYAML has it, to the same data."""

from __future__ import annotations

from importlib.resources.abc import Traversable

import yaml

from backstride.content.loader import content_root, load_yaml


def _yaml_files(folder: Traversable) -> list[Traversable]:
    found = []
    for entry in folder.iterdir():
        if entry.is_dir():
            found += _yaml_files(entry)
        elif entry.name.endswith(".yaml"):
            found.append(entry)
    return found


def test_the_c_loader_reads_every_content_file_as_the_python_loader_does() -> None:
    files = _yaml_files(content_root())
    assert len(files) > 50
    for entry in files:
        text = entry.read_text(encoding="utf-8")
        assert load_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader), entry.name


def test_the_loader_is_safe_and_fast_when_libyaml_is_there() -> None:
    from backstride.content import loader

    assert issubclass(loader._SafeLoader, yaml.SafeLoader) or loader._SafeLoader.__name__ == (
        "CSafeLoader"
    )
    if hasattr(yaml, "CSafeLoader"):
        assert loader._SafeLoader is yaml.CSafeLoader
    try:
        load_yaml("!!python/object/apply:os.system ['true']")
    except yaml.YAMLError:
        pass
    else:  # pragma: no cover - a safe loader never builds Python objects
        raise AssertionError("the loader built an arbitrary Python object")
