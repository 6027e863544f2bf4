"""Each fact once: an option, a theme's colours, a media type and the function list are written in one place, and
everything else derives from it or is checked against it here."""
import re
from dataclasses import fields
from pathlib import Path

from chainrule.app.cli import parser
from chainrule.app.main import create_app
from chainrule.app.query import GraphQuery
from chainrule.engine.ops import OPS
from chainrule.engine.options import OPTIONS, page_defaults
from chainrule.engine.render import View
from chainrule.engine.themes import THEMES

ROOT = Path(__file__).resolve().parents[1]


def test_the_query_has_one_field_per_option_with_the_options_default():
    query = GraphQuery("x")
    assert [f.name for f in fields(query)] == ["expr", "values", *OPTIONS]
    assert all(getattr(query, name) == option.default for name, option in OPTIONS.items())


def test_the_openapi_description_lists_every_option_with_its_default_and_choices():
    schema = create_app().openapi()
    parameters = {p["name"]: p for p in schema["paths"]["/api/graph"]["get"]["parameters"]}
    assert set(parameters) == {"expr", *OPTIONS}
    for name, option in OPTIONS.items():
        assert parameters[name]["description"] == option.help
        assert parameters[name]["schema"].get("enum", []) == list(option.choices)
        assert parameters[name]["schema"].get("default") == option.default


def test_the_cli_has_a_flag_per_option_with_its_help():
    render = parser()._subparsers._group_actions[0].choices["render"]
    flags = {action.dest: action for action in render._actions}
    for name, option in OPTIONS.items():
        assert flags[name].help == option.help
        assert list(flags[name].choices or []) == list(option.choices)


def test_the_view_takes_its_defaults_from_the_options():
    for f in fields(View):
        if f.name in OPTIONS and f.name != "step":
            assert f.default == OPTIONS[f.name].default, f.name


def test_the_page_gets_its_defaults_from_the_server_not_from_its_own_javascript():
    state_js = (ROOT / "static/js/state.js").read_text()
    assert not re.search(r"granularity:\s*\"fused\"", state_js)
    assert page_defaults()["rankdir"] == "auto" and page_defaults()["exact"] == "false"


def test_the_pages_value_and_gradient_colours_are_the_drawings():
    css = (ROOT / "static/app.css").read_text()
    blocks = {"light": css[css.index(":root {"):]}
    for name in THEMES:
        if f'\n[data-theme="{name}"] {{' in css:
            blocks[name] = css[css.index(f'\n[data-theme="{name}"] {{'):]
    for name, block in blocks.items():
        block = block[:block.index("}")]
        for prop in ("value", "grad"):
            found = re.search(rf"--{prop}:\s*(#[0-9a-fA-F]{{6}})", block)
            assert found and found.group(1).lower() == getattr(THEMES[name], prop).lower(), (name, prop)


def test_media_types_are_written_once():
    literal = re.compile(r'"(?:image/svg\+xml|image/png|application/pdf|application/zip)"')
    written = [p for p in (ROOT / "engine").glob("*.py") if literal.search(p.read_text())]
    written += [p for p in (ROOT / "app").rglob("*.py") if literal.search(p.read_text())]
    assert [p.name for p in written] == ["tools.py"]


def test_readme_and_the_api_contract_name_every_function_of_the_op_table():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name, op in OPS.items() if op.is_function and not re.search(rf"`?\b{name}\b", readme)]
    assert not missing
