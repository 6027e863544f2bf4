"""chainrule: see backpropagation. The design's folders (engine/, app/, templates/, static/) are this package's
subpackages: the wheel puts them inside chainrule/, and a source checkout finds them beside this folder."""

from pathlib import Path

_checkout = Path(__file__).resolve().parent.parent
if not (Path(__file__).parent / "engine").is_dir() and (_checkout / "engine" / "__init__.py").is_file():
    __path__.append(str(_checkout))  # noqa: F821 (a package's own __path__)
