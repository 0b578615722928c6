"""Place names: one normaliser for every spelling, and a ranked match.

Places of Syria and Iraq reach readers in many transliterations: *Deir ez-Zor*,
*Deir al-Zour* and *Dayr az Zawr* are one city, *Raqqa* and *Raqqah* one town,
and Arabic script comes with or without diacritics. Two keys make them meet:

* :func:`fold` keeps the vowels. It strips accents and apostrophes, drops the
  Arabic article in its Latin forms (*al-*, *el-*, *ad-*, *ez-*, *ash-*...),
  folds the digraphs and letters that transliterations swap (*kh*/*k*, *q*/*k*,
  *ou*/*o*/*u*, *e*/*i*, *dh*/*d*...), collapses doubled letters and drops a final *h*
  after a vowel (*Fallujah*/*Falluja*). In Arabic script it removes the
  diacritics and the tatweel, unifies the alef, hamza, ta marbuta and alef
  maqsura forms and drops the article ال.
* :func:`skeleton` is the fold without vowels (``a e i o u y w``), so that
  *Kobane*/*Kobani* and *Dayr*/*Deir* meet; Arabic text keeps its fold.

:func:`match_score` ranks how well a query meets one name; the gazetteer
(:mod:`geomap.data.gazetteer`) ranks places by their best name. The rules are
mirrored for the browser nowhere: the app asks Python.
"""

from __future__ import annotations

import re
import unicodedata

#: Latin forms of the Arabic article, dropped where they start a word.
#: Languages a map's place names can be written in (the app's ``?lang=`` and the
#: exports' ``--lang``): the data's names, or the gazetteer's Arabic names where a
#: place has one (its Latin name otherwise).
LABEL_LANGS: dict[str, str] = {
    "en": "the names as the data spells them",
    "ar": "Arabic names from the gazetteer, right to left (the Latin name where none is known)",
}
DEFAULT_LABEL_LANG = "en"

ARTICLES = frozenset(
    "al el il ad adh ar as ash at ath az an ed er es esh et ez en".split()  # noqa: SIM905
)

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}  # noqa: RUF001
)
_APOSTROPHES = re.compile("['\u2019\u2018`\u02bf\u02be\u02bc\u00b4]")
_SEPARATORS = re.compile(r"[\s\-_,./()]+")
#: Letter groups that transliterations swap, in the order they are folded.
_DIGRAPHS = (
    ("ou", "u"),
    ("oo", "u"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("sh", "s"),
    ("ch", "s"),
    ("dj", "j"),
    ("q", "k"),
    ("c", "k"),
    ("o", "u"),
    ("e", "i"),
)
_DOUBLES = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
_VOWELS = re.compile("[aeiouyw]")


def is_arabic(text: str) -> bool:
    """Whether ``text`` holds Arabic letters."""
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def is_standard_arabic(text: str) -> bool:
    """Whether ``text`` is written in the Arabic alphabet alone (with its marks).

    Names in Kurdish or Persian letters (ڵ, ێ, ۆ, پ, گ, ی...) or mixed with Latin
    ones are not: they are kept as spellings but never shown as the Arabic name.
    """
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all("\u0621" <= ch <= "\u064a" or ch == "\u0671" for ch in letters)


def _fold_arabic(text: str) -> str:
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text)).translate(_ARABIC_LETTERS)
    words = []
    for word in _SEPARATORS.split(text):
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        if word:
            words.append(word)
    return "".join(words)


def _latin_words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = _APOSTROPHES.sub("", plain)
    words = [w for w in _SEPARATORS.split(plain) if w]
    kept = [w for w in words if w not in ARTICLES]
    return kept or words


def _fold_word(word: str) -> str:
    for old, new in _DIGRAPHS:
        word = word.replace(old, new)
    word = _DOUBLES.sub(r"\1", word)
    return _FINAL_H.sub("", word)


def fold(text: str) -> str:
    """The spelling-insensitive form of a name, vowels kept (see the module)."""
    if is_arabic(text):
        return _fold_arabic(text)
    return "".join(_fold_word(w) for w in _latin_words(text) if w.isalnum())


def skeleton(text: str) -> str:
    """:func:`fold` without vowels; Arabic text keeps its fold."""
    folded = fold(text)
    if is_arabic(text):
        return folded
    return _DOUBLES.sub(r"\1", _VOWELS.sub("", folded))


def match_score(query: str, name: str) -> int:
    """How well ``query`` meets ``name``: 0 (not at all) to 100 (same fold).

    100 same fold; 80 the name's fold starts with the query's (3 letters or
    more); 70 same skeleton (2 consonants or more); 50 the skeleton starts
    with the query's (3 or more); 40 the fold contains the query's (4 or more).
    """
    fq, fn = fold(query), fold(name)
    if not fq or not fn:
        return 0
    if fq == fn:
        return 100
    if len(fq) >= 3 and fn.startswith(fq):
        return 80
    sq, sn = skeleton(query), skeleton(name)
    if len(sq) >= 2 and sq == sn:
        return 70
    if len(sq) >= 3 and sn.startswith(sq):
        return 50
    if len(fq) >= 4 and fq in fn:
        return 40
    return 0
