"""The Indonesian catalog says every message of the code, up to date, in Indonesian.

The messages are extracted from the code as ``make messages`` does (same ``babel.cfg``), into a
temporary folder, and compared with ``scheduler/locale/id/LC_MESSAGES/jadwal.po``: a message
written in the code since has no translation yet, one removed is still translated. What the
build compiles (``setup.py``) is checked to be that catalog.
"""

from __future__ import annotations

import ast
import gettext
import importlib.util
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from tests.conftest import ROOT

PO = ROOT / "scheduler" / "locale" / "id" / "LC_MESSAGES" / "jadwal.po"
MO = PO.with_suffix(".mo")
FIX = "run 'make messages', then translate what it added in " + str(PO.relative_to(ROOT))
# Indonesian says these as English does: command lines, key names, codes and proper nouns.
# Words Indonesian writes as English does: month names, the platforms' own kinds of post, and
# a message that is only an option's name and the problem.
SAME_IN_INDONESIAN: frozenset[str] = frozenset(
    {
        "--month: {problem}",
        "April",
        "Media",
        "November",
        "September",
        "Video",
        "media",
        "media:",
        "platform",
        "reel",
        "story",
        "token",
    }
)
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


def read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


@cache
def catalog() -> Catalog:
    return read(PO)


def messages(of: Catalog) -> list[Message]:
    return [message for message in of if message.id]


def key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def forms(message: Message) -> tuple[str, ...]:
    text = message.string
    return tuple(text) if isinstance(text, tuple | list) else (text,)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    pot = tmp_path_factory.mktemp("pot") / "jadwal.pot"
    arguments = ["pybabel", "--quiet", "extract", "-F", str(ROOT / "babel.cfg")]
    CommandLineInterface().run([*arguments, "--no-location", "-o", str(pot), str(ROOT)])
    return read(pot)


def test_the_catalog_holds_exactly_the_messages_of_the_code(extracted: Catalog) -> None:
    code = {key(message) for message in messages(extracted)}
    kept = {key(message) for message in messages(catalog())}
    assert sorted(code - kept) == [], f"messages without a translation: {FIX}"
    assert sorted(kept - code) == [], "translations of messages the code no longer has: " + FIX


def test_every_message_is_translated_into_indonesian() -> None:
    untranslated = [key(m) for m in messages(catalog()) if not all(forms(m))]
    assert untranslated == [], f"translate these in {PO.name}"
    fuzzy = [key(m) for m in messages(catalog()) if m.fuzzy]
    assert fuzzy == [], "a fuzzy translation is a guess that gettext ignores: check it"


def test_no_message_is_left_in_english() -> None:
    same = [key(m) for m in messages(catalog()) if key(m) in forms(m)]
    assert sorted(set(same) - SAME_IN_INDONESIAN) == []


def test_translations_keep_every_placeholder_of_the_message() -> None:
    """``{count}`` or ``{path}`` lost (or misspelt) in a translation would raise KeyError, or
    drop the value, when the message is formatted."""
    wrong = []
    for message in messages(catalog()):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(set(PLACEHOLDER.findall(text)) for text in ids))
        for text in forms(message):
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((key(message), text))
    assert wrong == []


def test_indonesian_has_one_plural_form() -> None:
    assert catalog().plural_forms == "nplurals=1; plural=0;"
    assert catalog().num_plurals == 1
    plurals = [m for m in messages(catalog()) if m.pluralizable]
    assert plurals, "the code counts things: ngettext is used"
    assert [key(m) for m in plurals if len(forms(m)) != 1] == []


def test_the_compiled_catalog_is_the_one_kept_in_the_repository() -> None:
    """The build compiles the .po (setup.py); after editing it, 'make messages' (or 'pip
    install -e .') compiles it again for the checkout."""
    assert MO.exists(), f"no compiled catalog: {FIX}"
    with MO.open("rb") as source:
        compiled = gettext.GNUTranslations(source)
    for message in messages(catalog()):
        if message.pluralizable:
            said = compiled.ngettext(message.id[0], message.id[1], 1)
        else:
            said = compiled.gettext(message.id)
        assert said == forms(message)[0], f"{MO.name} is older than {PO.name}: {FIX}"


def test_the_build_step_compiles_every_catalog(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("jadwal_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    setup_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup_module)
    folder = tmp_path / "id" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "jadwal.po").write_bytes(PO.read_bytes())
    [written] = setup_module.compile_catalogs(tmp_path)
    with written.open("rb") as source_file:
        compiled = gettext.GNUTranslations(source_file)
    assert compiled.gettext("interrupted") == "dihentikan"


def calls(tree: ast.AST) -> list[ast.Call]:
    names = {"_", "N_", "ngettext"}
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
    ]


def test_messages_are_formatted_after_they_are_translated() -> None:
    """``_(f"…{x}")`` asks the catalog for a text that is never in it; a message is a plain
    text, formatted after: ``_("{n} posts").format(n=…)``."""
    wrong = []
    for path in sorted((ROOT / "scheduler").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in calls(tree):
            # A name is a text marked with N_ where it was made; anything built is wrong.
            if not all(
                isinstance(a, ast.Constant | ast.Name | ast.Attribute | ast.Subscript)
                for a in call.args[:2]
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{call.lineno}")
        # Nor inside an f-string: the extractor does not see a message there.
        for text in (node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)):
            wrong += [
                f"{path.relative_to(ROOT)}:{call.lineno} (in an f-string)" for call in calls(text)
            ]
    assert wrong == []


def test_no_function_that_translates_names_a_variable_underscore() -> None:
    """``for _, name in …`` in a function that also says ``_("…")`` makes ``_`` a local:
    the message then fails (UnboundLocalError, or a call of the loop's value)."""
    wrong = []
    for path in sorted((ROOT / "scheduler").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            looped = {
                id(name)
                for part in ast.walk(function)
                if isinstance(part, ast.comprehension)
                for name in ast.walk(part.target)
            }
            named = any(
                isinstance(node, ast.Name)
                and node.id == "_"
                and isinstance(node.ctx, ast.Store)
                and id(node) not in looped
                for node in ast.walk(function)
            )
            if named and calls(function):
                wrong.append(f"{path.relative_to(ROOT)}:{function.lineno} {function.name}")
    assert wrong == []


def test_every_template_that_speaks_is_extracted() -> None:
    """A page template whose words are marked but that babel.cfg does not name is never
    extracted: its words would stay English in an Indonesian report, and no other test of
    the catalog would see them."""
    patterns = re.findall(r"^\[jinja2: (.+)\]$", (ROOT / "babel.cfg").read_text(), re.MULTILINE)
    speaking = [
        path.relative_to(ROOT)
        for path in sorted((ROOT / "scheduler").rglob("*.html"))
        if re.search(r"\b_\(|\{% trans", path.read_text(encoding="utf-8"))
    ]
    assert speaking, "no template marks its words"
    assert [p for p in speaking if not any(p.match(pattern) for pattern in patterns)] == []
