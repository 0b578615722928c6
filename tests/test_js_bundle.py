"""The map script's ES modules: served as they are in the app, bundled for the HTML export."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from geomap.export.html import inline_assets
from geomap.web.js_bundle import (
    BOOT,
    ENTRY,
    JS_DIR,
    BundleError,
    boot_url,
    bundle,
    load_modules,
    module_names,
    modules_digest,
)
from geomap.web.render import build_map

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def write(folder: Path, **modules: str) -> Path:
    for name, text in modules.items():
        (folder / f"{name}.js").write_text(text, encoding="utf-8")
    return folder


def test_modules_run_after_those_they_import_and_main_last() -> None:
    modules = load_modules()
    names = [m.name for m in modules]
    assert names[-1] == ENTRY and sorted(names) == module_names()
    for i, module in enumerate(modules):
        assert set(module.imports) <= set(names[:i]), module.name
    assert len(names) >= 8  # records, timeline, legend, story, sync and the small ones


def test_served_modules_are_real_files() -> None:
    """Streamlit's static serving refuses symlinks."""
    files = sorted(JS_DIR.glob("*.js"))
    assert files and not [p for p in files if p.is_symlink()]
    assert (JS_DIR / BOOT).is_file()


def test_bundle_strips_imports_and_exports(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        a='import { two } from "./b.js";\n\nexport function one() { return two() - 1; }\n',
        b="/** Two. */\nexport const two = () => 2;\nexport class Box {}\n",
        main='import { one } from "./a.js";\n\nwindow.got = one();\n',
    )
    text = bundle(folder)
    assert not re.search(r"^\s*(import|export)\b", text, re.MULTILINE)
    assert text.index("const two") < text.index("function one") < text.index("window.got")
    assert "class Box {}" in text


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ({"main": 'import two from "./b.js";\n', "b": "export const two = 2;\n"}, "write imports"),
        ({"main": 'import { two as deux } from "./b.js";\n', "b": "export const two = 2;\n"},
         "without `as`"),
        ({"main": 'import {\n  two,\n} from "./b.js";\n', "b": "export const two = 2;\n"},
         "write imports"),
        ({"main": 'import { two } from "./b.js";\n', "b": "export default 2;\n"}, "only `export"),
        ({"main": 'import { two } from "./b.js";\n', "b": "const two = 2;\nexport { two };\n"},
         "only `export"),
        ({"main": 'import { three } from "./b.js";\n', "b": "export const two = 2;\n"},
         "does not export"),
        ({"main": 'import { two } from "./c.js";\n'}, "does not exist"),
        ({"main": 'import { a } from "./b.js";\n',
          "b": 'import { c } from "./c.js";\nexport const a = 1;\n',
          "c": 'import { a } from "./b.js";\nexport const c = 1;\n'}, "import cycle"),
        ({"main": 'import { two } from "./b.js";\nfunction two() {}\n',
          "b": "export const two = 2;\n"}, "declared by both"),
        ({"main": "const a = 1;\n", "b": "export const two = 2;\n"}, "no module imports b.js"),
    ],
)  # fmt: skip
def test_bundle_refuses_what_it_cannot_join(
    tmp_path: Path, modules: dict[str, str], message: str
) -> None:
    with pytest.raises(BundleError, match=message):
        bundle(write(tmp_path, **modules))


@needs_node
def test_the_bundle_is_one_classic_script_that_installs_the_map() -> None:
    """Run in node with a stand-in window: it defines geomapInit and runs queued calls."""
    assert NODE is not None
    check = subprocess.run([NODE, "--check"], input=bundle(), capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    script = (
        bundle() + "\nconsole.log([typeof window.geomapInit, typeof window.geomapCommand,"
        " String(window.geomapQueue)].join(' '));"
    )
    run = subprocess.run(
        [
            NODE,
            "-e",
            "globalThis.window = { geomapQueue: [['command', { nonce: 'x' }]] };" + script,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.split() == ["function", "function", "null"]


def test_the_html_export_inlines_the_bundle() -> None:
    inlined = inline_assets()["geomap_js"]
    assert "function geomapInit" in inlined and "</script" not in inlined.lower()
    assert re.sub(r"<\\/", "</", inlined) == bundle()


def test_the_app_loads_the_script_of_this_version(tmp_path: Path) -> None:
    url = boot_url()
    assert url.startswith(f"/app/static/js/{BOOT}?v={modules_digest()}&m=")
    assert url.split("&m=")[1].split(",") == [n.removesuffix(".js") for n in module_names()]
    html = build_map('{"src": "/app/static/cache/payload-x.json"}').get_root().render()
    assert f"/app/static/cache/geomap-{modules_digest()}.js" in html  # the bundle, served
    assert "geomap.js" not in html
    # A change to any module gives every module a new address.
    folder = write(tmp_path, main="const a = 1;\n")
    (tmp_path / BOOT).write_text("/* boot */\n", encoding="utf-8")
    before = modules_digest(folder)
    write(folder, main="const a = 2;\n")
    assert modules_digest(folder) != before


def test_the_app_serves_one_bundled_script_from_the_cache(tmp_path: Path) -> None:
    from geomap.web.js_bundle import bundle, served_script

    (tmp_path / "geomap-old.js").write_text("stale")
    url = served_script(tmp_path)
    name = url.rsplit("/", 1)[-1]
    assert url.startswith("/app/static/cache/geomap-") and name.endswith(".js")
    assert (tmp_path / name).read_text(encoding="utf-8") == bundle()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # the old version is gone
    assert served_script(tmp_path) == url  # written once per version
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert served_script(blocked) == boot_url()  # cannot write: the modules themselves
