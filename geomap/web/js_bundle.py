"""The map script's ES modules (``geomap/app/static/js/``): their order, version and bundle.

The modules are the source, unit-tested one by one with node. What runs is
:func:`bundle`, one classic script, in both places:

* the self-contained HTML export inlines it: a page opened from disk has no
  origin to fetch modules from (Chromium refuses module scripts from ``file:``),
  and its Content-Security-Policy allows inline scripts only;
* the app serves it as one file (:func:`served_script`), written once per version
  of the modules to the served cache folder beside the payload. Measured against
  serving the modules themselves, one script saves the browser a module graph of
  requests before the first paint (about 0.1 s). When that folder cannot be
  written (a read-only install), the app serves the modules, started by
  ``boot.js`` (:func:`boot_url`).

Decision: the bundle is made by this small function rather than a bundler
(esbuild, rollup), so that the project needs no npm at build or run time and
the shipped files are the ones that run. It concatenates the modules in
dependency order inside one function scope and strips the ``import`` lines and
the ``export`` keywords, which works because the modules keep to rules it
checks (and refuses to bundle otherwise):

* one ``import { a, b } from "./name.js";`` per line, relative, no renaming
  (``as``), no default or namespace imports, and every imported name exported
  by that module;
* ``export`` only in front of a top-level ``function``, ``const``, ``let`` or
  ``class``, never ``export default`` or ``export { … }``;
* no two modules declare the same top-level name (they share one scope);
* no import cycles, and every module reachable from ``main.js``.

The modules then run in the order the browser runs them: each after those it
imports, ``main.js`` last.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from geomap.data.paths import STATIC_DIR

#: Where the modules are, and the URL Streamlit serves them under.
JS_DIR = STATIC_DIR / "js"
JS_URL = "/app/static/js"
#: The classic script that starts the modules in the app (not a module itself).
BOOT = "boot.js"
#: The module that joins the others and installs ``window.geomapInit``.
ENTRY = "main.js"

_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_IMPORT = re.compile(r'import \{([\w\s,]+)\} from "\./([a-z][a-z0-9_]*\.js)";')
_EXPORT = re.compile(r"export (?=(?:async )?(?:function\*?|const|let|class) )")
_DECLARED = re.compile(
    r"(?:export )?(?:async )?(?:function\*?|const|let|var|class) ([A-Za-z_$][\w$]*)"
)


class BundleError(ValueError):
    """A module breaks a rule the bundle relies on."""


@dataclass(frozen=True)
class Module:
    """One ES module: its file name, imports (module name to names) and top-level code."""

    name: str
    imports: dict[str, tuple[str, ...]]
    exports: frozenset[str]
    declared: tuple[str, ...]
    body: str


def read_module(name: str, text: str) -> Module:
    """Parse one module's imports and exports, checking the rules of the module docstring."""
    imports: dict[str, tuple[str, ...]] = {}
    exports: set[str] = set()
    declared: list[str] = []
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{name}:{number}"
        if re.match(r"import\b", line):
            match = _IMPORT.fullmatch(line)
            if not match:
                raise BundleError(f'{where}: write imports as `import {{ a, b }} from "./x.js";`')
            names = tuple(n.strip() for n in match.group(1).split(",") if n.strip())
            if not names or not all(_NAME.fullmatch(n) for n in names):
                raise BundleError(f"{where}: import names as they are, without `as`")
            imports[match.group(2)] = names
            continue
        if re.match(r"\s*export\b", line) and not _EXPORT.match(line):
            raise BundleError(f"{where}: only `export function|const|let|class` at the top level")
        top = _DECLARED.match(line)
        if top:
            declared.append(top.group(1))
            if line.startswith("export"):
                exports.add(top.group(1))
        body.append(_EXPORT.sub("", line, count=1))
    return Module(name, imports, frozenset(exports), tuple(declared), "\n".join(body).strip())


def module_names(folder: Path = JS_DIR) -> list[str]:
    """The module files, by name (``boot.js`` is a classic script, not one of them)."""
    return sorted(p.name for p in folder.glob("*.js") if p.name != BOOT)


def load_modules(folder: Path = JS_DIR) -> list[Module]:
    """Every module, in the order the browser runs them from ``main.js``."""
    modules = {
        n: read_module(n, (folder / n).read_text(encoding="utf-8")) for n in module_names(folder)
    }
    ordered: list[Module] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            raise BundleError("import cycle: " + " -> ".join((*chain, name)))
        module = modules.get(name)
        if module is None:
            raise BundleError(f"{chain[-1]} imports {name}, which does not exist")
        state[name] = "open"
        for dep, names in module.imports.items():
            visit(dep, (*chain, name))
            missing = set(names) - modules[dep].exports
            if missing:
                raise BundleError(
                    f"{name} imports {', '.join(sorted(missing))} from {dep}, "
                    "which does not export it"
                )
        state[name] = "done"
        ordered.append(module)

    visit(ENTRY, ("(entry)",))
    unused = sorted(set(modules) - {m.name for m in ordered})
    if unused:
        raise BundleError(f"no module imports {', '.join(unused)}")
    seen: dict[str, str] = {}
    for module in ordered:
        for top in module.declared:
            if top in seen:
                raise BundleError(f"{top} is declared by both {seen[top]} and {module.name}")
            seen[top] = module.name
    return ordered


def bundle(folder: Path = JS_DIR) -> str:
    """The modules as one classic script (for pages opened from disk)."""
    modules = load_modules(folder)
    parts = [
        "/* geomap's map script: its ES modules (geomap/app/static/js/) in one classic",
        " * script, made by geomap.web.js_bundle: " + ", ".join(m.name for m in modules) + ". */",
        "(function () {",
        '"use strict";',
    ]
    for module in modules:
        parts += [f"/* ---- {module.name} */", module.body]
    parts.append("})();")
    return "\n".join(parts) + "\n"


def modules_digest(folder: Path = JS_DIR) -> str:
    """A short hash of the boot script and every module: the ``?v=`` of their URLs."""
    digest = hashlib.sha256()
    for name in [BOOT, *module_names(folder)]:
        path = folder / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:10]


def boot_url(folder: Path = JS_DIR) -> str:
    """The address of ``boot.js`` for the app, telling it the version and the module names."""
    names = ",".join(n.removesuffix(".js") for n in module_names(folder))
    return f"{JS_URL}/{BOOT}?v={modules_digest(folder)}&m={names}"


def served_script(folder: Path | None = None) -> str:
    """The address of the bundled script in the served cache folder (written once per version).

    Falls back to :func:`boot_url` (the modules themselves) when the folder cannot be written.
    """
    from geomap.web.payload_file import CACHE_URL, cache_dir, write_once

    folder = folder or cache_dir()
    name = f"geomap-{modules_digest()}.js"
    try:
        target = write_once(folder, name, bundle())
        for old in folder.glob("geomap-*.js"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        return boot_url()
    return f"{CACHE_URL}/{name}"
