"""chainrule: see backpropagation. The design's folders (engine/, app/, templates/, static/) are this package's
subpackages: the wheel puts them inside chainrule/, and a source checkout finds them beside this folder."""

from pathlib import Path

_checkout = Path(__file__).resolve().parent.parent
if not (Path(__file__).parent / "engine").is_dir() and (_checkout / "engine" / "__init__.py").is_file():
    __path__.append(str(_checkout))  # noqa: F821 (a package's own __path__)

# The public API, imported when first used: `import chainrule` stays cheap (no engine, web layer, torch or
# micrograd until asked for), so the server's start and a notebook's first line pay nothing for it.
_API = {"graph": "notebook", "Graph": "notebook", "from_micrograd": "importers", "from_torch": "torch_graph",
        "ChainruleError": "engine", "ParseError": "engine", "LimitError": "engine"}
__all__ = list(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'chainrule' has no attribute {name!r}")
    from importlib import import_module
    value = getattr(import_module(f"chainrule.{_API[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_API))
